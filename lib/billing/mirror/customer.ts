import type Stripe from 'stripe';
import type { Tx } from '@/lib/db';
import type { HandlerContext } from '@/lib/billing/mirror/context';
import { env } from '@/lib/env';
import { later, lockObject, versionToApply } from './guard';

export interface MirroredCustomer {
  id: string;
  userId: string;
}

/**
 * Record the newest Stripe time seen for this customer (see Customer.observedAt).
 * When that time passes a past_due subscription's grace end (a test clock jumps
 * ahead of ours), its downgrade job is made due now, in the same statement.
 */
export async function observeCustomerTime(tx: Tx, customerId: string, at: Date): Promise<void> {
  // Only when it moves forward, so most events take no lock on the customer row.
  await tx.$executeRaw`
    WITH moved AS (
      UPDATE "Customer" SET "observedAt" = ${at} WHERE id = ${customerId} AND ("observedAt" IS NULL OR "observedAt" < ${at})
      RETURNING "userId")
    SELECT graphile_worker.add_job('dunning_downgrade', json_build_object('subscriptionId', s.id), job_key := 'dunning:' || s.id)
    FROM "Subscription" s JOIN moved ON s."userId" = moved."userId"
    WHERE s.status = 'past_due' AND s."pastDueSince" + make_interval(days => ${env().DUNNING_GRACE_DAYS}::int) <= ${at}`;
}

/**
 * The mirrored customer, created from Stripe when this is the first event seen
 * for it. Returns null when the Stripe customer belongs to no Tollgate user
 * (created outside the app): such events are acknowledged and ignored.
 */
export async function ensureMirroredCustomer(
  ctx: HandlerContext,
  customerId: string,
): Promise<MirroredCustomer | null> {
  const existing = await ctx.tx.customer.findUnique({
    where: { id: customerId },
    select: { id: true, userId: true },
  });
  if (existing) {
    await observeCustomerTime(ctx.tx, customerId, ctx.eventAt);
    return existing;
  }
  const fetched = await ctx.stripe.customers.retrieve(customerId);
  if ('deleted' in fetched && fetched.deleted) return null;
  const userId = fetched.metadata?.user_id;
  if (!userId) return null;
  const user = await ctx.tx.user.findUnique({
    where: { id: userId },
    select: { id: true, customer: { select: { id: true } } },
  });
  // One Stripe customer per user: a second one (say, made in the dashboard) is not mirrored.
  if (!user || (user.customer && user.customer.id !== customerId)) return null;
  await lockObject(ctx.tx, customerId);
  const row = await ctx.tx.customer.upsert({
    where: { id: customerId },
    create: {
      id: customerId,
      userId,
      email: fetched.email,
      livemode: fetched.livemode,
      lastEventAt: ctx.eventAt,
      observedAt: ctx.eventAt,
    },
    update: {},
    select: { id: true, userId: true },
  });
  // Another event may have created the row meanwhile: still record this event's time.
  await observeCustomerTime(ctx.tx, customerId, ctx.eventAt);
  return row;
}

export async function applyCustomer(
  ctx: HandlerContext,
  customer: Stripe.Customer | Stripe.DeletedCustomer,
): Promise<string> {
  await lockObject(ctx.tx, customer.id);
  const stored = await ctx.tx.customer.findUnique({
    where: { id: customer.id },
    select: { lastEventAt: true, observedAt: true },
  });
  if (!stored) {
    const created = await ensureMirroredCustomer(ctx, customer.id);
    if (!created) return `ignored customer ${customer.id}: not linked to a Tollgate user`;
  }
  const current = await versionToApply('event', stored?.lastEventAt, ctx.eventAt, customer, () =>
    ctx.stripe.customers.retrieve(customer.id),
  );
  if (!current) return `skipped customer ${customer.id}: older than stored`;
  const deleted = 'deleted' in current && current.deleted === true;
  await ctx.tx.customer.update({
    where: { id: customer.id },
    data: {
      deleted,
      ...(!deleted && 'email' in current ? { email: current.email } : {}),
      lastEventAt: ctx.eventAt,
      observedAt: later(stored?.observedAt, ctx.eventAt),
    },
  });
  return `customer ${customer.id} ${deleted ? 'deleted' : 'updated'}`;
}
