import type { Op } from '../op';
import { idOf } from '../values';
import type { InvoiceObject, PriceObject, SubscriptionObject } from '../types';
import { collectInvoice } from './invoices';
import { createInvoiceItem } from './invoice-build';
import { creditUnusedTime } from './lifecycle';
import {
  issue,
  paymentMethodOf,
  periodEndAfter,
  periodLines,
  periodOf,
  planOf,
  productName,
  setPeriod,
  subscriptionInvoice,
} from './subscriptions';
import { formatDate } from './time';

export type ProrationBehavior = 'create_prorations' | 'always_invoice' | 'none';

export interface ItemChange {
  /** The item to change; null adds a new item. */
  itemId: string | null;
  price: PriceObject;
  quantity: number;
}

/** What a plan switch costs, for the portal's confirmation page. */
export interface ProrationPreview {
  credit: number;
  charge: number;
  /** Billed now (`always_invoice` or a new billing interval). */
  dueNow: boolean;
}

function sameInterval(a: PriceObject, b: PriceObject): boolean {
  return (
    a.recurring?.interval === b.recurring?.interval &&
    (a.recurring?.interval_count ?? 1) === (b.recurring?.interval_count ?? 1)
  );
}

/** The proration amounts of replacing one item's price at `at` (rounded like Stripe: per line). */
export function previewChange(
  op: Op,
  sub: SubscriptionObject,
  change: ItemChange,
  behavior: ProrationBehavior,
  at: number,
): ProrationPreview {
  const item = sub.items.data.find((i) => i.id === change.itemId) ?? sub.items.data[0];
  const { start, end } = periodOf(sub);
  const prorate = behavior !== 'none' && sub.status !== 'trialing' && at > start && at < end;
  const ratio = prorate ? (end - at) / (end - start) : 0;
  const credit = item ? -Math.round((item.price.unit_amount ?? 0) * (item.quantity ?? 1) * ratio) : 0;
  if (item && !sameInterval(item.price, change.price) && sub.status !== 'trialing') {
    return { credit, charge: (change.price.unit_amount ?? 0) * change.quantity, dueNow: true };
  }
  return {
    credit,
    charge: Math.round((change.price.unit_amount ?? 0) * change.quantity * ratio),
    dueNow: behavior === 'always_invoice' && prorate,
  };
}

/**
 * Switches an item to another price now. Same interval: the period stays and the difference is
 * prorated by the second (pending invoice items, or invoiced at once with `always_invoice`).
 * Another interval: a new period starts now and is invoiced at once, less the unused time.
 * Returns the invoice to issue after the subscription update is announced (stored as a draft).
 */
export function changeItem(
  op: Op,
  sub: SubscriptionObject,
  change: ItemChange,
  behavior: ProrationBehavior,
  at: number,
): InvoiceObject | null {
  const customer = op.store.objects.customer.get(idOf(sub.customer) ?? '');
  const item = sub.items.data.find((i) => i.id === change.itemId);
  if (!customer || !item) return null;
  const { start, end } = periodOf(sub);
  const trialing = sub.status === 'trialing';
  if (!sameInterval(item.price, change.price) && !trialing) {
    if (behavior !== 'none') creditUnusedTime(op, sub, at);
    Object.assign(item, {
      price: structuredClone(change.price),
      plan: planOf(change.price),
      quantity: change.quantity,
    });
    sub.billing_cycle_anchor = at;
    const period = { start: at, end: periodEndAfter(sub, at) };
    setPeriod(sub, period);
    return subscriptionInvoice(op, sub, {
      reason: 'subscription_update',
      lines: periodLines(op, sub, period, false),
      period: { start: at, end: at },
    });
  }
  const preview = previewChange(op, sub, change, behavior, at);
  const oldQuantity = item.quantity ?? 1;
  const oldPrice = item.price;
  Object.assign(item, {
    price: structuredClone(change.price),
    plan: planOf(change.price),
    quantity: change.quantity,
  });
  if (behavior === 'none' || trialing || at <= start || at >= end) return null;
  const date = formatDate(at);
  const base = {
    customer,
    subscription: sub.id,
    subscriptionItem: item.id,
    currency: sub.currency,
    period: { start: at, end },
    proration: true,
  };
  createInvoiceItem(op, {
    ...base,
    amount: preview.credit,
    price: oldPrice,
    quantity: oldQuantity,
    description: `Unused time on ${oldQuantity} × ${productName(op, oldPrice)} after ${date}`,
  });
  createInvoiceItem(op, {
    ...base,
    amount: preview.charge,
    price: change.price,
    quantity: change.quantity,
    description: `Remaining time on ${change.quantity} × ${productName(op, change.price)} after ${date}`,
  });
  if (behavior !== 'always_invoice') return null;
  return subscriptionInvoice(op, sub, {
    reason: 'subscription_update',
    lines: [],
    period: { start: at, end: at },
  });
}

/** Announces and charges an invoice made by a subscription change. */
export function billChange(op: Op, sub: SubscriptionObject, invoice: InvoiceObject | null): void {
  if (!invoice) return;
  issue(op, invoice);
  if (invoice.status === 'open')
    collectInvoice(op, invoice, { paymentMethod: paymentMethodOf(op, sub), offSession: true });
}
