import type Stripe from 'stripe';
import { planForLookupKey } from '@/lib/billing/catalog';
import { idOf } from '@/lib/billing/ids';
import type { HandlerContext } from '@/lib/billing/mirror/context';
import { fromUnix } from './guard';

// A subscription's items are one snapshot: the version applySubscription chose (newer than what is
// stored, or re-read from Stripe) replaces every stored item, so a removed item stays removed and a
// late event, which the guard skips, never brings one back.

/** Every item of the version: the embedded list, or the whole list when Stripe truncated it. */
export async function itemsOf(
  ctx: HandlerContext,
  subscription: Stripe.Subscription,
): Promise<Stripe.SubscriptionItem[]> {
  if (!subscription.items.has_more) return subscription.items.data;
  return ctx.stripe.subscriptionItems.list({ subscription: subscription.id, limit: 100 }).autoPagingToArray({
    limit: 10_000,
  });
}

/** The item the app's plan comes from: the first whose price is a catalog plan, else the first. */
export function planItem(items: Stripe.SubscriptionItem[]): Stripe.SubscriptionItem | undefined {
  return items.find((item) => planForLookupKey(item.price.lookup_key)) ?? items[0];
}

/** Replaces the stored items of a subscription with `items` (the caller holds its lock). */
export async function replaceItems(
  ctx: HandlerContext,
  subscriptionId: string,
  items: Stripe.SubscriptionItem[],
): Promise<void> {
  await ctx.tx.subscriptionItem.deleteMany({
    where: { subscriptionId, id: { notIn: items.map((item) => item.id) } },
  });
  for (const item of items) {
    const data = {
      subscriptionId,
      priceId: item.price.id,
      priceLookupKey: item.price.lookup_key,
      productId: idOf(item.price.product) ?? '',
      quantity: item.quantity ?? 1,
      currentPeriodStart: fromUnix(item.current_period_start),
      currentPeriodEnd: fromUnix(item.current_period_end),
      stripeCreated: new Date(item.created * 1000),
    };
    await ctx.tx.subscriptionItem.upsert({
      where: { id: item.id },
      create: { id: item.id, ...data },
      update: data,
    });
  }
}
