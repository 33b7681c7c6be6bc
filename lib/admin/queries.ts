import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { PaymentKind, PaymentStatus, WebhookEventStatus } from '@/lib/generated/prisma/enums';
import { type Cursor, newestFirst, seekAfter, toPage } from '@/lib/pagination';
import { findByStripeId, paymentsOfPayers, textTerm } from './search';

// The back office's reads. Every list pages by keyset on an index that matches
// its order and filters (see prisma/schema.prisma and lists.int.test.ts); no
// request reads more than a page of rows.

export const PAGE_SIZE = 25;

const userRow = {
  id: true,
  email: true,
  name: true,
  role: true,
  createdAt: true,
  // Their personal workspace's billing, at a glance.
  personalWorkspace: { select: { creditBalance: true, customer: { select: { id: true } } } },
} as const;

/**
 * Users, newest first. `q` is an exact id (a user id, or `cus_…` etc. for the members of the
 * workspace it belongs to), found
 * through its unique index, or text matched against email and name through
 * their trigram indexes (at least 3 characters, the length of a trigram).
 */
export async function searchUsers(q: string | undefined, cursor: Cursor | null) {
  const term = q?.trim() ?? '';
  const found = term ? await findByStripeId(term) : null;
  if (found) {
    const where: Prisma.UserWhereInput | null = found.userId
      ? { id: found.userId }
      : found.workspaceId
        ? { memberships: { some: { workspaceId: found.workspaceId } } }
        : null;
    const rows = where
      ? await db.user.findMany({ where, orderBy: newestFirst('createdAt'), take: PAGE_SIZE, select: userRow })
      : [];
    return toPage(rows, PAGE_SIZE, (u) => u.createdAt);
  }
  const text = textTerm(term);
  const where: Prisma.UserWhereInput = text
    ? {
        OR: [
          { email: { contains: text, mode: 'insensitive' } },
          { name: { contains: text, mode: 'insensitive' } },
        ],
      }
    : term
      ? { id: '' } // shorter than a trigram: nothing an index could find
      : {};
  const rows = await db.user.findMany({
    where: { ...where, ...seekAfter('createdAt', cursor) },
    orderBy: newestFirst('createdAt'),
    take: PAGE_SIZE + 1,
    select: userRow,
  });
  return toPage(rows, PAGE_SIZE, (u) => u.createdAt);
}

/** A workspace's billing as the back office shows it: customer and subscriptions (its lists below). */
const workspaceBilling = {
  id: true,
  name: true,
  personalOfId: true,
  creditBalance: true,
  customer: {
    select: { id: true, entitlements: { select: { lookupKey: true }, orderBy: { lookupKey: 'asc' } } },
  },
  subscriptions: { orderBy: { stripeCreated: 'desc' }, take: 5 },
} as const;

/** What a workspace's "recent payments" table shows (components/admin/workspace-payments.tsx). */
export const recentPaymentSelect = {
  id: true,
  status: true,
  amount: true,
  currency: true,
  description: true,
  createdAt: true,
  kind: true,
} as const;

/**
 * A workspace's newest payments and ledger entries, one query each. Asked for through a relation
 * of several workspaces, Prisma would read every row and cut the page in memory (no LIMIT per
 * parent); the heavy user's ledger alone is 200k rows.
 */
async function recentActivity(workspaceId: string) {
  const [payments, ledger] = await Promise.all([
    db.payment.findMany({
      where: { workspaceId },
      orderBy: newestFirst('createdAt'),
      take: 20,
      select: recentPaymentSelect,
    }),
    db.creditLedger.findMany({
      where: { workspaceId },
      orderBy: newestFirst('createdAt'),
      take: 20,
      select: { id: true, kind: true, amount: true, balanceAfter: true, memo: true, createdAt: true },
    }),
  ]);
  return { payments, ledger };
}

/** How many of a user's workspaces the user page shows billing for (personal first). */
export const USER_WORKSPACES_SHOWN = 10;

/** A user and the billing of the workspaces they belong to (their personal one first). */
export async function userDetail(id: string) {
  const [user, memberships] = await Promise.all([
    db.user.findUnique({
      where: { id },
      select: { id: true, email: true, name: true, role: true, createdAt: true },
    }),
    db.membership.findMany({
      where: { userId: id },
      orderBy: [{ createdAt: 'asc' }, { workspaceId: 'asc' }],
      take: USER_WORKSPACES_SHOWN,
      select: { role: true, workspace: { select: workspaceBilling } },
    }),
  ]);
  if (!user) return null;
  const workspaces = await Promise.all(
    memberships.map(async (m) => ({
      ...m.workspace,
      ...(await recentActivity(m.workspace.id)),
      role: m.role,
      personal: m.workspace.personalOfId === id,
    })),
  );
  return { ...user, workspaces: workspaces.sort((a, b) => Number(b.personal) - Number(a.personal)) };
}

export interface PaymentFilters {
  status?: PaymentStatus;
  kind?: PaymentKind;
  q?: string;
}

const paymentRow = {
  id: true,
  status: true,
  kind: true,
  amount: true,
  amountRefunded: true,
  currency: true,
  description: true,
  createdAt: true,
  sample: true,
  workspace: { select: { id: true, name: true } },
  buyer: { select: { id: true, email: true } },
} as const;

/**
 * Payments, newest first, filtered by status and kind. `q` is an exact id
 * (payment id, `pi_`, `cs_`, `in_`, `ch_`, `re_`, or `cus_` for that
 * customer's payments) or text matched against the payer's email.
 */
export async function listPayments(filters: PaymentFilters, cursor: Cursor | null) {
  const term = filters.q?.trim() ?? '';
  const base: Prisma.PaymentWhereInput = {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
  };
  let match: Prisma.PaymentWhereInput = {};
  if (term) {
    const found = await findByStripeId(term);
    const text = textTerm(term);
    if (found)
      match = found.paymentId
        ? { id: found.paymentId }
        : found.workspaceId
          ? { workspaceId: found.workspaceId }
          : { workspace: { personalOfId: found.userId ?? '' } };
    else if (text) match = await paymentsOfPayers(text, filters, cursor, PAGE_SIZE + 1);
    else match = { id: '' }; // shorter than a trigram: nothing an index could find
  }
  const rows = await db.payment.findMany({
    where: { ...base, ...match, ...seekAfter('createdAt', cursor) },
    orderBy: newestFirst('createdAt'),
    take: PAGE_SIZE + 1,
    select: paymentRow,
  });
  return toPage(rows, PAGE_SIZE, (p) => p.createdAt);
}

export async function paymentDetail(id: string) {
  return db.payment.findUnique({
    where: { id },
    include: {
      workspace: { select: { id: true, name: true, personalOfId: true } },
      buyer: { select: { id: true, email: true } },
      refunds: { orderBy: { stripeCreated: 'desc' } },
    },
  });
}

export async function listWebhookEvents(status: WebhookEventStatus | undefined, cursor: Cursor | null) {
  const rows = await db.webhookEvent.findMany({
    where: { ...(status ? { status } : {}), ...seekAfter('receivedAt', cursor) },
    orderBy: newestFirst('receivedAt'),
    take: PAGE_SIZE + 1,
    select: {
      id: true,
      type: true,
      status: true,
      attempts: true,
      error: true,
      outcome: true,
      receivedAt: true,
      processedAt: true,
      objectId: true,
    },
  });
  return toPage(rows, PAGE_SIZE, (e) => e.receivedAt);
}

/** Counts shown in tabs stop here ("1,000+"): reading further only to print a bigger number is waste. */
export const TAB_COUNT_CAP = 1000;

/** Failed events awaiting a replay (the webhooks page's tab), counted up to TAB_COUNT_CAP + 1. */
export async function failedWebhookCount(): Promise<number> {
  return db.webhookEvent.count({ where: { status: 'failed' }, take: TAB_COUNT_CAP + 1 });
}

export async function listCoupons(cursor: Cursor | null) {
  const rows = await db.coupon.findMany({
    where: seekAfter('createdAt', cursor),
    orderBy: newestFirst('createdAt'),
    take: PAGE_SIZE + 1,
  });
  return toPage(rows, PAGE_SIZE, (c) => c.createdAt);
}

/**
 * The audit log, newest first: everything, or one target's trail. A target is
 * always its type and id together, so the (targetType, targetId, createdAt, id)
 * index applies.
 */
export async function auditTrail(
  target: { type: 'user' | 'payment' | 'coupon' | 'webhook_event'; id: string } | null,
  cursor: Cursor | null,
) {
  const rows = await db.auditLog.findMany({
    where: {
      ...(target ? { targetType: target.type, targetId: target.id } : {}),
      ...seekAfter('createdAt', cursor),
    },
    orderBy: newestFirst('createdAt'),
    take: PAGE_SIZE + 1,
  });
  return toPage(rows, PAGE_SIZE, (a) => a.createdAt);
}
