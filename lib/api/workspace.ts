import 'server-only';
import type { CurrentUser } from '@/lib/auth/session';
import { notFoundResponse } from '@/lib/http';
import {
  type CurrentWorkspace,
  membershipOf,
  personalWorkspaceOf,
  WORKSPACE_COOKIE,
} from '@/lib/workspaces/current';
import { can, type WorkspaceRight } from '@/lib/workspaces/roles';

/** The field of a form or JSON body naming the workspace it was made for. */
export const WORKSPACE_BODY_FIELD = 'workspaceId';

/** What a workspace id can look like (cuids and `ws_…`); anything else names none. */
export const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function cookieValue(request: Request, name: string): string | null {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/**
 * The workspace a REST or route-handler request acts for, or the response that refuses it.
 * - An API key acts for its own workspace, with its maker's current role there (once its maker
 *   has left, the workspace no longer exists for the key: 404).
 * - A session names one in its body (`workspaceId`, as every form in the app sends: the tab's
 *   workspace, not the cookie's), else the switcher's cookie, else the personal workspace.
 * A workspace the caller is not a member of, or lacks `right` in, is a 404: it does not exist
 * for them.
 */
export async function workspaceOfRequest(
  request: Request,
  user: CurrentUser,
  options: { keyWorkspaceId: string | null; requested: string | null; right: WorkspaceRight },
): Promise<CurrentWorkspace | Response> {
  const { keyWorkspaceId, requested, right } = options;
  let workspace: CurrentWorkspace | null;
  if (keyWorkspaceId) {
    if (requested && requested !== keyWorkspaceId) return notFoundResponse();
    workspace = await membershipOf(user.id, keyWorkspaceId);
  } else if (requested) {
    workspace = await membershipOf(user.id, requested);
  } else {
    const chosen = cookieValue(request, WORKSPACE_COOKIE);
    const named = chosen && WORKSPACE_ID.test(chosen) ? await membershipOf(user.id, chosen) : null;
    workspace = named ?? (await personalWorkspaceOf(user.id));
  }
  if (!workspace || !can(workspace.role, right)) return notFoundResponse();
  return workspace;
}

/** Take `workspaceId` out of a decoded body (so strict schemas never see it). */
export function takeWorkspaceField(value: unknown): { value: unknown; requested: string | null } {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !(WORKSPACE_BODY_FIELD in value))
    return { value, requested: null };
  const { [WORKSPACE_BODY_FIELD]: requested, ...rest } = value as Record<string, unknown>;
  // Present but not an id: it names no workspace (a 404), never the cookie's.
  const id = typeof requested === 'string' && WORKSPACE_ID.test(requested) ? requested : 'none';
  return { value: rest, requested: id };
}
