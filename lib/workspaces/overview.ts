import 'server-only';
import { planForLookupKey, seatRulesOf } from '@/lib/billing/catalog';
import { LIVE_STATUSES } from '@/lib/billing/subscription-queries';
import { db } from '@/lib/db';
import type { WorkspaceRole } from '@/lib/generated/prisma/enums';
import { encodeCursor, type Cursor, type Page } from '@/lib/pagination';
import { memberCount } from '@/lib/workspaces/seats';

// The read side of a workspace for the REST API and the billing page: its plan, seats and
// balance, and its members a page at a time. Every read is scoped by the workspace id.

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

export interface MemberRow {
  id: string;
  email: string;
  name: string | null;
  role: WorkspaceRole;
  joinedAt: Date;
}

/**
 * Members, oldest first, by keyset on (createdAt, userId): the index
 * Membership(workspaceId, createdAt, userId) seeks straight to the page.
 */
export async function membersPage(
  workspaceId: string,
  page: { limit: number; cursor: Cursor | null },
): Promise<Page<MemberRow>> {
  const { cursor } = page;
  const rows = await db.membership.findMany({
    where: {
      workspaceId,
      ...(cursor
        ? {
            AND: [
              { createdAt: { gte: cursor.at } },
              { OR: [{ createdAt: { gt: cursor.at } }, { userId: { gt: cursor.id } }] },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
    take: page.limit + 1,
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  const hasMore = rows.length > page.limit;
  const data = rows.slice(0, page.limit).map((row) => ({
    id: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: row.role,
    joinedAt: row.createdAt,
  }));
  const last = data[data.length - 1];
  return { data, hasMore, nextCursor: hasMore && last ? encodeCursor(last.joinedAt, last.id) : null };
}
