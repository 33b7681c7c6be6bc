import 'server-only';
import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { requireUser, type CurrentUser } from '@/lib/auth/session';
import { db } from '@/lib/db';
import type { WorkspaceRole } from '@/lib/generated/prisma/enums';
import { can, type WorkspaceRight } from '@/lib/workspaces/roles';

/** The cookie naming the workspace a user last switched to; only a membership makes it count. */
export const WORKSPACE_COOKIE = 'tollgate-workspace';

export interface CurrentWorkspace {
  id: string;
  name: string;
  personal: boolean;
  role: WorkspaceRole;
}

/** The user's membership in one workspace, or null: the only way to turn a workspace id into access. */
export async function membershipOf(userId: string, workspaceId: string): Promise<CurrentWorkspace | null> {
  const row = await db.membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId } },
    select: { role: true, workspace: { select: { id: true, name: true, personalOfId: true } } },
  });
  if (!row) return null;
  const { workspace } = row;
  return {
    id: workspace.id,
    name: workspace.name,
    personal: workspace.personalOfId === userId,
    role: row.role,
  };
}

/** The user's personal workspace (made with the user by a database trigger). */
export async function personalWorkspaceOf(userId: string): Promise<CurrentWorkspace> {
  const workspace = await db.workspace.findUniqueOrThrow({
    where: { personalOfId: userId },
    select: { id: true },
  });
  const membership = await membershipOf(userId, workspace.id);
  if (!membership) throw new Error(`User ${userId} is not a member of their personal workspace`);
  return membership;
}

/**
 * The workspace this request acts for: the one named by the switcher's cookie if the user is
 * still a member of it, else their personal workspace.
 */
export const currentWorkspace = cache(async (user: CurrentUser): Promise<CurrentWorkspace> => {
  const chosen = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const membership = chosen ? await membershipOf(user.id, chosen) : null;
  return membership ?? personalWorkspaceOf(user.id);
});

/**
 * For pages and actions in the signed-in app: the user and their current workspace. Without the
 * right asked for, the page does not exist for them (404), as with staff areas.
 */
export async function requireWorkspace(
  right: WorkspaceRight = 'use',
  callbackUrl?: string,
): Promise<{ user: CurrentUser; workspace: CurrentWorkspace }> {
  const user = await requireUser(callbackUrl);
  const workspace = await currentWorkspace(user);
  if (!can(workspace.role, right)) notFound();
  return { user, workspace };
}
