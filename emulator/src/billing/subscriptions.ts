import type Stripe from 'stripe';
import { newId } from '../ids';
import type { Op } from '../op';
import { formatAmount, idOf } from '../values';
import type { SubscriptionState } from '../store';
import type { Full, PlanObject, PriceObject, SubscriptionItemObject, SubscriptionObject } from '../types';
import { activeDiscounts, couponOf } from './discounts';
import { syncEntitlements } from './entitlements';
import type { LineSpec } from './invoice-build';
import { createInvoice, finalizeInvoice, saveInvoice } from './invoices';
import { cycleEnd } from './time';

export function stateOf(op: Op, sub: { id: string }): SubscriptionState {
  return (
    op.store.internal.subscription_state.get(sub.id) ?? {
      id: sub.id,
      announced: true,
      checkout_session: null,
      fired: [],
    }
  );
}

export function saveState(op: Op, state: SubscriptionState): void {
  op.store.internal.subscription_state.set(state);
}

export function saveSubscription(op: Op, sub: SubscriptionObject): SubscriptionObject {
  return op.store.objects.subscription.set(sub);
}

type SubscriptionEvent =
  'customer.subscription.created' | 'customer.subscription.updated' | 'customer.subscription.deleted';

/** Emits a subscription event (updates only when something changed), then the entitlements. */
export function announce(
  op: Op,
  type: SubscriptionEvent,
  sub: SubscriptionObject,
  before?: SubscriptionObject,
): void {
  saveSubscription(op, sub);
  if (type === 'customer.subscription.updated' && before) op.emitUpdated(type, before, sub);
  else op.emit(type, sub);
  if (type === 'customer.subscription.created') saveState(op, { ...stateOf(op, sub), announced: true });
  syncEntitlements(op, idOf(sub.customer) ?? '');
}

/** Announces an update if the subscription has been announced; otherwise just saves it. */
export function changed(op: Op, sub: SubscriptionObject, before: SubscriptionObject): void {
  if (stateOf(op, sub).announced) announce(op, 'customer.subscription.updated', sub, before);
  else saveSubscription(op, sub);
}

export function planOf(price: PriceObject): PlanObject {
  const recurring = price.recurring;
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: recurring?.interval ?? 'month',
    interval_count: recurring?.interval_count ?? 1,
    livemode: false,
    metadata: { ...price.metadata },
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: recurring?.trial_period_days ?? null,
    usage_type: 'licensed',
  };
}

export function buildItem(
  op: Op,
  sub: string,
  input: { price: PriceObject; quantity: number; metadata: Record<string, string> },
  period: { start: number; end: number },
): SubscriptionItemObject {
  const item: Full<SubscriptionItemObject, 'billed_until' | 'deleted'> = {
    id: newId('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created: op.now(),
    current_period_end: period.end,
    current_period_start: period.start,
    current_trial: null,
    discounts: [],
    metadata: input.metadata,
    plan: planOf(input.price),
    price: structuredClone(input.price),
    quantity: input.quantity,
    subscription: sub,
    tax_rates: [],
  };
  return item;
}

/** The billing interval of a subscription (all its items share one). */
export function intervalOf(sub: SubscriptionObject): {
  interval: Stripe.Price.Recurring.Interval;
  count: number;
} {
  const recurring = sub.items.data[0]?.price.recurring;
  return { interval: recurring?.interval ?? 'month', count: recurring?.interval_count ?? 1 };
}

export function periodOf(sub: SubscriptionObject): { start: number; end: number } {
  const item = sub.items.data[0];
  return {
    start: item?.current_period_start ?? sub.start_date,
    end: item?.current_period_end ?? sub.start_date,
  };
}

export function setPeriod(sub: SubscriptionObject, period: { start: number; end: number }): void {
  for (const item of sub.items.data) {
    item.current_period_start = period.start;
    item.current_period_end = period.end;
  }
}

/** The end of the period that starts at `start` on the subscription's cycle. */
export function periodEndAfter(sub: SubscriptionObject, start: number): number {
  const { interval, count } = intervalOf(sub);
  let n = 1;
  let end = cycleEnd(sub.billing_cycle_anchor, interval, count, n);
  while (end <= start) end = cycleEnd(sub.billing_cycle_anchor, interval, count, ++n);
  return end;
}

export function productName(op: Op, price: PriceObject): string {
  return op.store.objects.product.get(idOf(price.product) ?? '')?.name ?? 'Subscription';
}

/** "1 × Pro (at $29.00 / month)", Stripe's wording for a subscription line. */
export function itemDescription(op: Op, item: SubscriptionItemObject): string {
  const price = item.price;
  const every =
    price.recurring?.interval_count && price.recurring.interval_count > 1
      ? `every ${price.recurring.interval_count} ${price.recurring.interval}s`
      : (price.recurring?.interval ?? 'month');
  return `${item.quantity ?? 1} × ${productName(op, price)} (at ${formatAmount(price.unit_amount ?? 0, price.currency)} / ${every})`;
}

/** The lines that bill each item for one period (or the $0 trial lines). */
export function periodLines(
  op: Op,
  sub: SubscriptionObject,
  period: { start: number; end: number },
  trial: boolean,
): LineSpec[] {
  return sub.items.data.map((item) => ({
    amount: trial ? 0 : (item.price.unit_amount ?? 0) * (item.quantity ?? 1),
    description: trial ? `Trial period for ${productName(op, item.price)}` : itemDescription(op, item),
    price: item.price,
    quantity: item.quantity ?? 1,
    period,
    proration: false,
    subscriptionItem: item.id,
    invoiceItem: null,
    discountable: !trial,
  }));
}

/** The card a subscription's invoices are charged to. */
export function paymentMethodOf(op: Op, sub: SubscriptionObject): string | null {
  const own = idOf(sub.default_payment_method);
  if (own) return own;
  const customer = op.store.objects.customer.get(idOf(sub.customer) ?? '');
  return idOf(customer?.invoice_settings.default_payment_method) ?? null;
}

/**
 * A subscription invoice for the current period, with the subscription's discounts. A `once`
 * coupon is used up by the first invoice it reduces. Stored, not yet announced.
 */
export function subscriptionInvoice(
  op: Op,
  sub: SubscriptionObject,
  input: { reason: Stripe.Invoice.BillingReason; lines: LineSpec[]; period: { start: number; end: number } },
) {
  const customer = op.store.objects.customer.get(idOf(sub.customer) ?? '');
  if (!customer) throw new Error(`subscription ${sub.id} has no customer`);
  const discounts = activeDiscounts(op, sub.discounts, op.now());
  const invoice = createInvoice(op, {
    customer,
    subscription: sub,
    billing_reason: input.reason,
    currency: sub.currency,
    lines: input.lines,
    discounts,
    period: input.period,
  });
  if (invoice.total_discount_amounts?.some((d) => d.amount > 0)) {
    const spent = discounts.filter((d) => couponOf(op, d)?.duration === 'once').map((d) => d.id);
    if (spent.length) sub.discounts = sub.discounts.filter((d) => !spent.includes(idOf(d) ?? ''));
  }
  sub.latest_invoice = invoice.id;
  saveSubscription(op, sub);
  return invoice;
}

/** Announces a new invoice and finalizes it (a $0 one is paid at once). */
export function issue(op: Op, invoice: ReturnType<typeof subscriptionInvoice>) {
  op.emit('invoice.created', invoice);
  return finalizeInvoice(op, invoice);
}

/** Ends a subscription now (cancellation, dunning, trial without a card). */
export function endSubscription(
  op: Op,
  sub: SubscriptionObject,
  reason: Stripe.Subscription.CancellationDetails.Reason,
): void {
  const now = op.now();
  sub.status = 'canceled';
  sub.ended_at = now;
  sub.canceled_at = sub.canceled_at ?? now;
  sub.cancellation_details = {
    comment: sub.cancellation_details?.comment ?? null,
    feedback: sub.cancellation_details?.feedback ?? null,
    feedback_option: null,
    reason,
  };
  for (const invoice of op.store.objects.invoice.values()) {
    if (
      invoice.parent?.subscription_details?.subscription === sub.id &&
      invoice.next_payment_attempt !== null
    ) {
      invoice.next_payment_attempt = null;
      saveInvoice(op, invoice);
    }
  }
  for (const item of op.store.objects.invoiceitem.values()) {
    if (item.invoice === null && item.parent?.subscription_details?.subscription === sub.id)
      op.store.objects.invoiceitem.delete(item.id);
  }
  if (stateOf(op, sub).announced) announce(op, 'customer.subscription.deleted', sub);
  else saveSubscription(op, sub);
}
