// The read side of subscriptions and invoices, for pages; every write is in mirror/.
import 'server-only';
import { db } from '@/lib/db';
import type { SubscriptionStatus } from '@/lib/generated/prisma/enums';

/** Statuses in which a subscription still exists for the customer (a second checkout would double-bill). */
export const LIVE_STATUSES: SubscriptionStatus[] = [
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'paused',
  'incomplete',
];

export async function liveSubscription(workspaceId: string) {
  return db.subscription.findFirst({
    where: { workspaceId, status: { in: LIVE_STATUSES } },
    orderBy: { stripeCreated: 'desc' },
  });
}

/** The subscription to show on the billing page: the live one, else the most recent. */
export async function displaySubscription(workspaceId: string) {
  return (
    (await liveSubscription(workspaceId)) ??
    db.subscription.findFirst({ where: { workspaceId }, orderBy: { stripeCreated: 'desc' } })
  );
}

export async function invoicesOf(workspaceId: string, take = 24) {
  return db.invoice.findMany({
    where: { customer: { workspaceId }, status: { not: 'deleted' } },
    orderBy: { stripeCreated: 'desc' },
    take,
    select: {
      id: true,
      number: true,
      status: true,
      amountDue: true,
      amountPaid: true,
      currency: true,
      hostedInvoiceUrl: true,
      paymentActionRequired: true,
      stripeCreated: true,
    },
  });
}

/**
 * One free trial per workspace, ever; and creating workspaces does not reopen it: a user who
 * owns any workspace that has had a trial gets none in another (ADR 0024). `userId` is who is
 * asking (null where no one is, e.g. the pricing page for a visitor).
 */
export async function trialAvailable(workspaceId: string, userId: string | null): Promise<boolean> {
  const used = await db.workspace.findFirst({
    where: {
      OR: [
        { id: workspaceId },
        ...(userId ? [{ members: { some: { userId, role: 'owner' as const } } }] : []),
      ],
      AND: [
        {
          OR: [{ trialUsedAt: { not: null } }, { subscriptions: { some: { trialStart: { not: null } } } }],
        },
      ],
    },
    select: { id: true },
  });
  return !used;
}
