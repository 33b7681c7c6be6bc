import 'server-only';
import { monthlyCents } from '@/lib/admin/metrics';
import { textTerm } from '@/lib/admin/search';
import { LIVE_STATUSES } from '@/lib/billing/subscription-queries';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { type Cursor, newestFirst, seekAfter, toPage } from '@/lib/pagination';
import { PAGE_SIZE, recentPaymentSelect } from './queries';

// The back office's workspace reads. The list pages by keyset on Workspace(createdAt, id) and
// searches names through their trigram index; each row's members are counted and its live
// subscription read through Membership(workspaceId, …) and Subscription(workspaceId, status):
// one page's worth of index lookups, never a table read into JS.

const liveSubscription = {
  where: { status: { in: LIVE_STATUSES } },
  orderBy: { stripeCreated: 'desc' },
  take: 1,
  select: { id: true, status: true, planKey: true, priceLookupKey: true, interval: true, quantity: true },
} as const;

/** What a subscription adds to MRR: its monthly price times its seats, once it is paying. */
export function mrrOf(
  subscription: { status: string; priceLookupKey: string | null; quantity: number } | undefined,
) {
  if (!subscription || (subscription.status !== 'active' && subscription.status !== 'past_due')) return 0;
  return monthlyCents(subscription.priceLookupKey) * subscription.quantity;
}

/** Workspaces, newest first; `q` is text matched against the name (at least 3 characters). */
export async function listWorkspaces(q: string | undefined, cursor: Cursor | null) {
  const term = q?.trim() ?? '';
  const text = textTerm(term);
  const where: Prisma.WorkspaceWhereInput = text
    ? { name: { contains: text, mode: 'insensitive' } }
    : term
      ? { id: '' } // shorter than a trigram: nothing an index could find
      : {};
  const rows = await db.workspace.findMany({
    where: { ...where, ...seekAfter('createdAt', cursor) },
    orderBy: newestFirst('createdAt'),
    take: PAGE_SIZE + 1,
    select: {
      id: true,
      name: true,
      personalOfId: true,
      createdAt: true,
      _count: { select: { members: true } },
      subscriptions: liveSubscription,
    },
  });
  const page = toPage(rows, PAGE_SIZE, (w) => w.createdAt);
  return {
    ...page,
    data: page.data.map(({ _count, subscriptions, ...w }) => ({
      ...w,
      members: _count.members,
      subscription: subscriptions[0] ?? null,
      mrr: mrrOf(subscriptions[0]),
    })),
  };
}

const MEMBERS_SHOWN = 100;

export async function workspaceDetail(id: string) {
  const workspace = await db.workspace.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      personalOfId: true,
      createdAt: true,
      _count: { select: { members: true } },
      members: {
        orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
        take: MEMBERS_SHOWN,
        select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
      },
      subscriptions: {
        orderBy: { stripeCreated: 'desc' },
        take: 5,
        select: {
          id: true,
          status: true,
          planKey: true,
          priceLookupKey: true,
          interval: true,
          quantity: true,
          currentPeriodEnd: true,
          cancelAtPeriodEnd: true,
        },
      },
      payments: { orderBy: newestFirst('createdAt'), take: 20, select: recentPaymentSelect },
    },
  });
  if (!workspace) return null;
  const live = workspace.subscriptions.find((s) => LIVE_STATUSES.includes(s.status));
  return {
    ...workspace,
    memberCount: workspace._count.members,
    membersShown: MEMBERS_SHOWN,
    mrr: mrrOf(live),
  };
}

/** The workspaces a user belongs to and their role in each, for their back-office page. */
export async function workspacesOfUser(userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    orderBy: { createdAt: 'asc' },
    take: 100,
    select: {
      role: true,
      createdAt: true,
      workspace: {
        select: { id: true, name: true, personalOfId: true, _count: { select: { members: true } } },
      },
    },
  });
  return rows.map((row) => ({
    id: row.workspace.id,
    name: row.workspace.name,
    personal: row.workspace.personalOfId === userId,
    members: row.workspace._count.members,
    role: row.role,
    joinedAt: row.createdAt,
  }));
}
