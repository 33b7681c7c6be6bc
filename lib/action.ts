import 'server-only';
import { notFound, unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import { requireRole, requireUser, type CurrentUser } from '@/lib/auth/session';
import { requireBilling } from '@/lib/billing/gate';
import { BillingError } from '@/lib/billing/errors';
import type { Role } from '@/lib/generated/prisma/enums';
import type { ActionState, FormAction } from '@/lib/action-state';
import { type CurrentWorkspace, membershipOf } from '@/lib/workspaces/current';
import { can, type WorkspaceRight } from '@/lib/workspaces/roles';
import { WORKSPACE_ID } from '@/lib/api/workspace';

/** The hidden form field naming the workspace a form was rendered for. */
export const WORKSPACE_FIELD = 'workspaceId';

export type { ActionState, FormAction };

/** Who may run the action: anyone, any signed-in user, or the listed roles (others get a 404). */
export type ActionWho = 'anyone' | 'user' | readonly Role[];

type UserOf<W extends ActionWho> = W extends 'anyone' ? null : CurrentUser;

export interface ActionOptions<S extends z.ZodType, W extends ActionWho> {
  /** Validates Object.fromEntries(formData); use z.coerce for numbers. */
  schema: S;
  who: W;
  /** Where sign-in returns to when an anonymous visitor runs the action. */
  callbackUrl?: string;
  /** Billing actions do not exist without a Stripe key (404). */
  billing?: boolean;
  /** The message for invalid input (default: the first issue's); 'fields' shows field errors only. */
  invalid?: string;
  /** Form fields echoed back in `values` so the form keeps what was typed. */
  echo?: readonly string[];
  /** The message when the action throws anything but a BillingError (which shows its own safe message). */
  failure?: string;
  /**
   * The action acts for the workspace named by the form's `workspaceId` field (the one the page
   * was rendered for, not the switcher's cookie, so a second tab switched elsewhere cannot
   * redirect it); the user needs this right there, else 404. Needs a signed-in `who`.
   */
  workspace?: WorkspaceRight;
}

export interface ActionContext<W extends ActionWho> {
  user: UserOf<W>;
  formData: FormData;
  /** Set when the action is declared with `workspace`. */
  workspace: CurrentWorkspace | null;
}

/** The form's workspace, if the user holds `right` there; anything else is a 404. */
async function formWorkspace(
  user: CurrentUser | null,
  formData: FormData,
  right: WorkspaceRight,
): Promise<CurrentWorkspace> {
  const id = formData.get(WORKSPACE_FIELD);
  if (!user || typeof id !== 'string' || !WORKSPACE_ID.test(id)) notFound();
  const membership = await membershipOf(user.id, id);
  if (!membership || !can(membership.role, right)) notFound();
  return membership;
}

type Action<S extends z.ZodType, W extends ActionWho, D> = (
  input: z.output<S>,
  context: ActionContext<W>,
) => Promise<ActionState<D>>;

function firstErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  const fields: Record<string, string> = {};
  for (const issue of issues) fields[String(issue.path[0] ?? '_')] ??= issue.message;
  return fields;
}

async function run<S extends z.ZodType, W extends ActionWho, D>(
  options: ActionOptions<S, W>,
  formData: FormData,
  action: Action<S, W, D>,
): Promise<ActionState<D>> {
  if (options.billing) requireBilling();
  const user = (
    options.who === 'anyone'
      ? null
      : options.who === 'user'
        ? await requireUser(options.callbackUrl)
        : await requireRole(options.who, options.callbackUrl)
  ) as UserOf<W>;
  const workspace = options.workspace ? await formWorkspace(user, formData, options.workspace) : null;
  const raw = Object.fromEntries(formData.entries());
  const values = options.echo
    ? Object.fromEntries(options.echo.map((name) => [name, String(raw[name] ?? '')]))
    : undefined;
  const parsed = options.schema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors = firstErrors(parsed.error.issues);
    return options.invalid === 'fields'
      ? { fieldErrors, values }
      : { ok: false, message: options.invalid ?? parsed.error.issues[0]?.message, fieldErrors, values };
  }
  try {
    const state = await action(parsed.data, { user, formData, workspace });
    return values ? { values, ...state } : state;
  } catch (error) {
    unstable_rethrow(error); // redirect() and notFound() are not failures
    if (error instanceof BillingError) return { ok: false, message: error.publicMessage, values };
    if (options.failure) return { ok: false, message: options.failure, values };
    throw error;
  }
}

/**
 * The one wrapper for server actions (nextjs/saas-starter's `validatedActionWithUser`):
 * it checks billing and who is asking, validates the form with zod, and turns expected
 * errors into a message. The result suits useActionState.
 */
export function validatedAction<S extends z.ZodType, W extends ActionWho, D = undefined>(
  options: ActionOptions<S, W>,
  action: Action<S, W, D>,
): FormAction<D> {
  return (_previous, formData) => run(options, formData, action);
}

/** The same wrapper for a plain `<form action>` that shows no result (the page revalidates). */
export function validatedFormAction<S extends z.ZodType, W extends ActionWho>(
  options: ActionOptions<S, W>,
  action: Action<S, W, undefined>,
): (formData: FormData) => Promise<void> {
  return async (formData) => {
    await run(options, formData, action);
  };
}
