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

export async function liveSubscription(userId: string) {
  return db.subscription.findFirst({
    where: { userId, status: { in: LIVE_STATUSES } },
    orderBy: { stripeCreated: 'desc' },
  });
}

/** The subscription to show on the billing page: the live one, else the most recent. */
export async function displaySubscription(userId: string) {
  return (
    (await liveSubscription(userId)) ??
    db.subscription.findFirst({ where: { userId }, orderBy: { stripeCreated: 'desc' } })
  );
}

export async function invoicesOf(userId: string, take = 24) {
  return db.invoice.findMany({
    where: { customer: { userId }, status: { not: 'deleted' } },
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

/** One free trial per billing owner (the user today), ever: not once a trial has started. */
export async function trialAvailable(userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { trialUsedAt: true } });
  if (!user || user.trialUsedAt) return false;
  return !(await db.subscription.findFirst({
    where: { userId, trialStart: { not: null } },
    select: { id: true },
  }));
}
