import type { WorkspaceRole } from '@/lib/generated/prisma/enums';

/** How a role reads in the interface (shared by server pages and client components). */
export const roleLabels: Record<WorkspaceRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  billing: 'Billing',
  member: 'Member',
};

/** One line per role, for the invite form and the role picker. */
export const roleDescriptions: Record<WorkspaceRole, string> = {
  owner: 'everything, including billing, members and owners',
  admin: 'members and invitations, not billing',
  billing: 'billing, not members',
  member: 'uses the product',
};
