import type { Op } from '../op';
import { idOf } from '../values';
import type { InvoiceObject, PriceObject, SubscriptionItemObject, SubscriptionObject } from '../types';
import { invalidRequest } from '../wire/errors';
import { createInvoiceItem } from './invoice-build';
import type { ProrationBehavior } from './prorations';
import { buildItem, periodOf, productName, subscriptionInvoice } from './subscriptions';
import { formatDate } from './time';

// Adding and removing subscription items (`subscription_items` and `items` on a subscription
// update). The period is shared by every item; adding or removing one is prorated by the second
// like a quantity change: "Remaining time on …" for an added item, "Unused time on …" for a
// removed one, as pending invoice items, invoiced at once (`always_invoice`) or not at all.

const ENDED = new Set(['canceled', 'incomplete_expired']);

export function assertChangeable(sub: SubscriptionObject): void {
  if (ENDED.has(sub.status))
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
}

/** The price of a new item must match the subscription's interval and currency, once. */
export function assertAddable(
  sub: SubscriptionObject,
  price: PriceObject,
  remaining: Array<{ price: PriceObject }>,
  param: string,
): void {
  const reference = remaining[0]?.price ?? sub.items.data[0]?.price;
  if (
    reference &&
    (price.currency !== reference.currency ||
      price.recurring?.interval !== reference.recurring?.interval ||
      (price.recurring?.interval_count ?? 1) !== (reference.recurring?.interval_count ?? 1))
  ) {
    throw invalidRequest(
      'All prices on a subscription must have the same `recurring.interval` and currency.',
      {
        param,
      },
    );
  }
  if (remaining.some((item) => item.price.id === price.id))
    throw invalidRequest(`Cannot add multiple subscription items with the same plan: ${price.id}`, { param });
}

/** Refused before anything changes: Stripe keeps at least one item on a subscription. */
export function assertNotLast(remainingCount: number, param: string): void {
  if (remainingCount < 1)
    throw invalidRequest(
      'A subscription must have at least one active plan. To cancel a subscription, please use the cancel endpoint.',
      { param },
    );
}

function prorate(
  op: Op,
  sub: SubscriptionObject,
  item: SubscriptionItemObject,
  sign: 1 | -1,
  behavior: ProrationBehavior,
  at: number,
): boolean {
  const { start, end } = periodOf(sub);
  if (behavior === 'none' || sub.status === 'trialing' || at <= start || at >= end) return false;
  const customer = op.store.objects.customer.get(idOf(sub.customer) ?? '');
  if (!customer) return false;
  const quantity = item.quantity ?? 1;
  const amount = sign * Math.round((item.price.unit_amount ?? 0) * quantity * ((end - at) / (end - start)));
  const what = `${quantity} × ${productName(op, item.price)} after ${formatDate(at)}`;
  createInvoiceItem(op, {
    customer,
    subscription: sub.id,
    subscriptionItem: item.id,
    currency: sub.currency,
    amount,
    description: sign > 0 ? `Remaining time on ${what}` : `Unused time on ${what}`,
    period: { start: at, end },
    price: item.price,
    quantity,
    proration: true,
  });
  return true;
}

/** The invoice `always_invoice` bills the prorations with (stored as a draft, issued by billChange). */
export function prorationInvoice(op: Op, sub: SubscriptionObject, at: number): InvoiceObject {
  return subscriptionInvoice(op, sub, {
    reason: 'subscription_update',
    lines: [],
    period: { start: at, end: at },
  });
}

/** Adds an item on the current period; `prorated` says whether a proration is now pending. */
export function addItem(
  op: Op,
  sub: SubscriptionObject,
  input: { price: PriceObject; quantity: number; metadata: Record<string, string> },
  behavior: ProrationBehavior,
  at: number,
): { item: SubscriptionItemObject; prorated: boolean } {
  const item = buildItem(op, sub.id, input, periodOf(sub));
  sub.items.data.push(item);
  return { item, prorated: prorate(op, sub, item, 1, behavior, at) };
}

/** Removes an item (the caller checked one stays); true when a proration credit is now pending. */
export function removeItem(
  op: Op,
  sub: SubscriptionObject,
  itemId: string,
  behavior: ProrationBehavior,
  at: number,
): boolean {
  const item = sub.items.data.find((i) => i.id === itemId);
  if (!item) return false;
  const prorated = prorate(op, sub, item, -1, behavior, at);
  sub.items.data = sub.items.data.filter((i) => i.id !== itemId);
  return prorated;
}

/** `clear_usage` is for metered items; every emulated item is licensed (as at Stripe: refused). */
export function assertNoClearUsage(clear: boolean | undefined, param: string): void {
  if (clear)
    throw invalidRequest('clear_usage is only allowed when the current plan’s usage_type is metered.', {
      param,
    });
}

/** The subscription an item belongs to, found by scanning (items live inside subscriptions). */
export function findItem(
  op: Op,
  itemId: string,
): { sub: SubscriptionObject; item: SubscriptionItemObject } | null {
  for (const sub of op.store.objects.subscription.values()) {
    const item = sub.items.data.find((i) => i.id === itemId);
    if (item) return { sub, item };
  }
  return null;
}
