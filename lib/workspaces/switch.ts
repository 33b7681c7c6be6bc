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
