import type { WorkspaceRole } from '@/lib/generated/prisma/enums';

/** What a member may do in a workspace. Platform staff roles (User.role) are separate and global. */
export type WorkspaceRight = 'use' | 'billing' | 'members';

const rights: Record<WorkspaceRole, readonly WorkspaceRight[]> = {
  owner: ['use', 'billing', 'members'],
  admin: ['use', 'members'],
  billing: ['use', 'billing'],
  member: ['use'],
};

export function can(role: WorkspaceRole, right: WorkspaceRight): boolean {
  return rights[role].includes(right);
}

export const workspaceRoles = [
  'owner',
  'admin',
  'billing',
  'member',
] as const satisfies readonly WorkspaceRole[];
