// Posting a server action's form as the browser would, outside a Next.js request: the action's
// state, or the redirect or 404 that Next.js throws for it.

export interface ActionState {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
}

export type Submitted<S extends ActionState = ActionState> = { status: 404 } | { redirect: string } | S;

export async function submitForm<S extends ActionState>(
  action: (prev: object, form: FormData) => Promise<S>,
  fields: Record<string, string>,
): Promise<Submitted<S>> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  try {
    return await action({}, form);
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? '';
    if (digest === 'NEXT_HTTP_ERROR_FALLBACK;404') return { status: 404 };
    if (digest.startsWith('NEXT_REDIRECT')) return { redirect: digest.split(';')[2] ?? '' };
    throw error;
  }
}

/** What a user sees of a posted form: the 404, the redirect, or the answer's ok and message. */
export type Seen = { status: 404 } | { redirect: string } | { ok?: boolean; message?: string };

/** Posts a form as `userId` (set on the test's mocked auth session) and returns what the user sees. */
export async function postAs(
  session: { userId: string | null },
  userId: string,
  action: (prev: object, form: FormData) => Promise<ActionState>,
  fields: Record<string, string>,
): Promise<Seen> {
  session.userId = userId;
  const outcome = await submitForm(action, fields);
  return 'status' in outcome || 'redirect' in outcome
    ? outcome
    : { ok: outcome.ok, message: outcome.message };
}
