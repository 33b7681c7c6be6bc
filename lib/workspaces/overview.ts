import 'server-only';
import { planForLookupKey, seatRulesOf } from '@/lib/billing/catalog';
import { LIVE_STATUSES } from '@/lib/billing/subscription-queries';
import { db } from '@/lib/db';
import { memberCount } from '@/lib/workspaces/seats';

// The read side of a workspace for the REST API and the billing page: its plan, seats and
// balance (its members, a page at a time, are listMembers in lib/workspaces/members.ts). Every
// read is scoped by the workspace id.

export interface Seats {
  /** Members now. */
  used: number;
  /** The per-seat subscription's quantity (what Stripe bills), or null without one. */
  paid: number | null;
  /** The plan's maxSeats, or null for no limit. */
  limit: number | null;
}

export interface WorkspaceOverview {
  id: string;
  name: string;
  plan: { key: string | null; name: string | null; interval: string | null; status: string } | null;
  seats: Seats;
  balance: number;
}

export async function workspaceOverview(workspaceId: string): Promise<WorkspaceOverview | null> {
  const [workspace, subscription, { members }, balance] = await Promise.all([
    db.workspace.findUnique({ where: { id: workspaceId }, select: { id: true, name: true } }),
    db.subscription.findFirst({
      where: { workspaceId, status: { in: LIVE_STATUSES } },
      orderBy: { stripeCreated: 'desc' },
      select: { status: true, priceLookupKey: true, interval: true, quantity: true },
    }),
    memberCount(workspaceId),
    workspaceBalance(workspaceId),
  ]);
  if (!workspace) return null;
  const plan = planForLookupKey(subscription?.priceLookupKey)?.plan;
  const rules = seatRulesOf(plan);
  return {
    id: workspace.id,
    name: workspace.name,
    plan: subscription
      ? {
          key: plan?.key ?? null,
          name: plan?.name ?? null,
          interval: subscription.interval,
          status: subscription.status,
        }
      : null,
    seats: {
      used: members,
      paid: rules && subscription ? subscription.quantity : null,
      limit: rules?.maxSeats ?? null,
    },
    balance,
  };
}

/** The workspace's credit balance: Workspace.creditBalance, kept equal to its ledger's sum (O(1)). */
export async function workspaceBalance(workspaceId: string): Promise<number> {
  const row = await db.workspace.findUnique({ where: { id: workspaceId }, select: { creditBalance: true } });
  return row?.creditBalance ?? 0;
}
