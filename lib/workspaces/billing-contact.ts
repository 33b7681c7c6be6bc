import type { Tx } from '@/lib/db';

/**
 * Where a workspace's billing emails go (payment failed, recovered, action required, downgraded):
 * its longest-standing owner, else its longest-standing billing member. For a personal workspace
 * that is its user.
 */
export async function billingEmailOf(tx: Tx, workspaceId: string): Promise<string | null> {
  const contact = await tx.membership.findFirst({
    where: { workspaceId, role: { in: ['owner', 'billing'] } },
    orderBy: [{ role: 'asc' }, { createdAt: 'asc' }, { userId: 'asc' }],
    select: { user: { select: { email: true } } },
  });
  return contact?.user.email ?? null;
}
