import type Stripe from 'stripe';
import { planForLookupKey } from '@/lib/billing/catalog';
import { idOf } from '@/lib/billing/ids';
import type { HandlerContext } from '@/lib/billing/mirror/context';
import { scheduleDowngrade } from '@/lib/billing/dunning';
import type { SubscriptionStatus } from '@/lib/generated/prisma/enums';
import { subscriptionMirrored } from '@/lib/workspaces/seats';
import { ensureMirroredCustomer } from './customer';
import { itemsOf, planItem, replaceItems } from './subscription-items';
import { fromUnix, later, lockObject, versionToApply, type Mode } from './guard';

const ENDED = new Set(['canceled', 'incomplete_expired']);

async function endedVersion(
  ctx: HandlerContext,
  subscription: Stripe.Subscription,
): Promise<Stripe.Subscription> {
  if (ENDED.has(subscription.status)) return subscription;
  const current = await ctx.stripe.subscriptions.retrieve(subscription.id).catch(() => null);
  if (current && ENDED.has(current.status)) return current;
  const at = Math.floor(ctx.eventAt.getTime() / 1000);
  return {
    ...subscription,
    status: 'canceled',
    cancel_at_period_end: false,
    canceled_at: subscription.canceled_at ?? at,
    ended_at: subscription.ended_at ?? at,
  };
}

/**
 * Mirror a subscription. Under a per-subscription lock: an event older than
 * the stored version is skipped (so a late `updated` never resurrects a
 * deleted subscription), a same-second tie re-reads the subscription from
 * Stripe, and `mode: 'refetched'` (reconcile) writes what Stripe says now.
 */
export async function applySubscription(
  ctx: HandlerContext,
  incoming: Stripe.Subscription,
  mode: Mode = 'event',
): Promise<string> {
  await lockObject(ctx.tx, incoming.id);
  const stored = await ctx.tx.subscription.findUnique({
    where: { id: incoming.id },
    select: { lastEventAt: true, status: true, pastDueSince: true },
  });
  const version = await versionToApply(mode, stored?.lastEventAt, ctx.eventAt, incoming, () =>
    ctx.stripe.subscriptions.retrieve(incoming.id),
  );
  if (!version) return `skipped subscription ${incoming.id}: event older than stored`;

  const customerId = idOf(version.customer);
  const customer = customerId ? await ensureMirroredCustomer(ctx, customerId) : null;
  if (!customer) return `ignored subscription ${version.id}: customer not linked to a Tollgate workspace`;
  // A deleted customer's subscriptions are over (Stripe cancels them): a late copy never revives one.
  const subscription = customer.deleted ? await endedVersion(ctx, version) : version;

  const items = await itemsOf(ctx, subscription);
  const item = planItem(items);
  if (!item) return `ignored subscription ${subscription.id}: no items`;
  const price = item.price;
  const plan = planForLookupKey(price.lookup_key);
  const status = subscription.status as SubscriptionStatus;
  // The grace period runs from the start of the period whose invoice failed.
  const pastDueSince =
    status === 'past_due'
      ? stored?.status === 'past_due' && stored.pastDueSince
        ? stored.pastDueSince
        : fromUnix(item.current_period_start)
      : null;
  const lastEventAt = later(stored?.lastEventAt, ctx.eventAt);

  const data = {
    customerId: customer.id,
    workspaceId: customer.workspaceId,
    status,
    priceId: price.id,
    priceLookupKey: price.lookup_key,
    productId: idOf(price.product) ?? '',
    planKey: plan?.plan.key ?? null,
    interval: price.recurring?.interval ?? null,
    quantity: item.quantity ?? 1,
    currentPeriodStart: fromUnix(item.current_period_start),
    currentPeriodEnd: fromUnix(item.current_period_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: fromUnix(subscription.cancel_at),
    canceledAt: fromUnix(subscription.canceled_at),
    endedAt: fromUnix(subscription.ended_at),
    trialStart: fromUnix(subscription.trial_start),
    trialEnd: fromUnix(subscription.trial_end),
    pastDueSince,
    latestInvoiceId: idOf(subscription.latest_invoice),
    livemode: subscription.livemode,
    stripeCreated: new Date(subscription.created * 1000),
    lastEventAt,
  };
  await ctx.tx.subscription.upsert({
    where: { id: subscription.id },
    create: { id: subscription.id, ...data },
    update: data,
  });
  await replaceItems(ctx, subscription.id, items);
  // A per-seat plan's quantity follows the workspace's members (lib/workspaces/seats.ts).
  if (plan?.plan.perSeat) await subscriptionMirrored(ctx.tx, subscription.id);
  // The owner's one free trial is spent for good, even if this subscription row goes away later.
  if (data.trialStart)
    await ctx.tx.workspace.updateMany({
      where: { id: customer.workspaceId, trialUsedAt: null },
      data: { trialUsedAt: data.trialStart },
    });
  // A new past_due episode: its downgrade is a job due when the grace period ends.
  if (pastDueSince && stored?.pastDueSince?.getTime() !== pastDueSince.getTime())
    await scheduleDowngrade(ctx.tx, subscription.id, pastDueSince, later(stored?.lastEventAt, ctx.eventAt));
  return `subscription ${subscription.id} now ${status}${subscription.cancel_at_period_end ? ' (cancels at period end)' : ''}`;
}
