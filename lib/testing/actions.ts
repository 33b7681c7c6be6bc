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
