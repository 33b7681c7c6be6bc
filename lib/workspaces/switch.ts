import 'server-only';
import { cookies } from 'next/headers';
import { env } from '@/lib/env';
import { idPattern } from '@/lib/workspaces/lock';
import { membershipOf, WORKSPACE_COOKIE } from '@/lib/workspaces/current';

/**
 * Make `workspaceId` the user's current workspace, if they are a member of it: the cookie is set
 * only after the membership is checked. Returns whether it was.
 */
export async function chooseWorkspace(userId: string, workspaceId: string): Promise<boolean> {
  if (!idPattern.test(workspaceId) || !(await membershipOf(userId, workspaceId))) return false;
  (await cookies()).set(WORKSPACE_COOKIE, workspaceId, {
    httpOnly: true,
    sameSite: 'lax',
    secure: env().APP_URL.startsWith('https://'),
    path: '/',
    maxAge: 365 * 24 * 60 * 60,
  });
  return true;
}

/** After leaving a workspace: a cookie still naming it goes (the personal workspace is current again). */
export async function forgetWorkspace(workspaceId: string): Promise<void> {
  const jar = await cookies();
  if (jar.get(WORKSPACE_COOKIE)?.value === workspaceId) jar.delete(WORKSPACE_COOKIE);
}
