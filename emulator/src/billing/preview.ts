import type Stripe from 'stripe';
import { newId } from '../ids';
import type { Op } from '../op';
import type { Table } from '../store';
import type { InvoiceObject, PriceObject, SubscriptionObject } from '../types';
import { invalidRequest } from '../wire/errors';
import { activeDiscounts } from './discounts';
import { buildInvoice, itemLine, pendingItems } from './invoice-build';
import { changeItem, type ItemChange, type ProrationBehavior } from './prorations';
import { createSubscription } from './lifecycle';
import { periodEndAfter, periodLines, periodOf, subscriptionInvoice } from './subscriptions';

export interface PreviewRequest {
  customer: Stripe.Customer;
  subscription: SubscriptionObject | null;
  /** Item changes to preview (`subscription_details.items`), already resolved. */
  changes: ItemChange[];
  behavior: ProrationBehavior;
  /** `subscription_details.proration_date`; defaults to now. */
  prorationDate: number | null;
}

function noUpcoming(customer: string): never {
  throw invalidRequest(`No upcoming invoices for customer: ${customer}`, {
    code: 'invoice_upcoming_none',
    status: 404,
  });
}

/**
 * Runs `work` against the store and then puts every table back as it was, dropping the events it
 * emitted: a preview computes with the real billing code but leaves no trace.
 */
function sandbox<T>(op: Op, work: () => T): T {
  const tables = [...Object.values(op.store.objects), ...Object.values(op.store.internal)] as Array<
    Table<{ id: string }>
  >;
  const events = op.store.objects.event as unknown as Table<{ id: string }>;
  const saved = tables
    .filter((table) => table !== events)
    .map((table) => [table, structuredClone(table.values())] as const);
  const eventIds = new Set(events.values().map((e) => e.id));
  const batchLength = op.batch.length;
  try {
    return structuredClone(work());
  } finally {
    for (const [table, rows] of saved) table.load(op.store.account, rows);
    for (const event of events.values()) if (!eventIds.has(event.id)) events.delete(event.id);
    op.batch.splice(batchLength);
  }
}

/** The next renewal invoice as it stands: the next period's lines plus the pending items. */
function upcomingRenewal(op: Op, customer: Stripe.Customer, sub: SubscriptionObject, id: string) {
  const { start, end } = periodOf(sub);
  if (sub.cancel_at !== null && sub.cancel_at <= end) noUpcoming(customer.id);
  const next = { start: end, end: periodEndAfter(sub, end) };
  const lines = [
    ...periodLines(op, sub, next, false),
    ...pendingItems(op, customer.id, sub.id).map((item) => itemLine(op, item)),
  ];
  const invoice = buildInvoice(
    op,
    {
      customer,
      subscription: sub,
      billing_reason: 'upcoming',
      currency: sub.currency,
      lines,
      discounts: activeDiscounts(op, sub.discounts, end),
      period: { start, end },
    },
    { id },
  );
  invoice.created = end;
  invoice.next_payment_attempt = end;
  return invoice;
}

/** The customer's pending items alone (no subscription): the invoice they would go on. */
function pendingOnly(op: Op, customer: Stripe.Customer, id: string): InvoiceObject {
  const items = pendingItems(op, customer.id, null);
  if (!items.length) noUpcoming(customer.id);
  const now = op.now();
  return buildInvoice(
    op,
    {
      customer,
      subscription: null,
      billing_reason: 'upcoming',
      currency: items[0]?.currency ?? 'usd',
      lines: items.map((item) => itemLine(op, item)),
      discounts: [],
      period: { start: now, end: now },
    },
    { id },
  );
}

/**
 * `invoices.createPreview` (https://docs.stripe.com/api/invoices/create_preview): the invoice a
 * subscription change would bill now (`always_invoice`, or a new billing interval), or else the
 * next renewal with the change's prorations on it. Nothing is stored and no event is sent.
 */
export function previewInvoice(op: Op, request: PreviewRequest): InvoiceObject {
  const id = `upcoming_${newId('in')}`;
  const { customer, subscription } = request;
  if (!subscription) return sandbox(op, () => pendingOnly(op, customer, id));
  if (subscription.status === 'canceled' || subscription.status === 'incomplete_expired')
    noUpcoming(customer.id);
  const at = request.prorationDate ?? op.now();
  return sandbox(op, () => {
    const sub = op.store.objects.subscription.get(subscription.id) ?? subscription;
    let now: InvoiceObject | null = null;
    for (const change of request.changes) now = changeItem(op, sub, change, request.behavior, at) ?? now;
    const invoice = now ? retag(now, id) : upcomingRenewal(op, customer, sub, id);
    const details = invoice.parent?.subscription_details;
    if (details && request.changes.length) details.subscription_proration_date = at;
    return invoice;
  });
}

/** A change billed at once is built as a stored draft; the preview shows it under its own id. */
function retag(invoice: InvoiceObject, id: string): InvoiceObject {
  invoice.id = id;
  invoice.lines.url = `/v1/invoices/${id}/lines`;
  for (const line of invoice.lines.data) line.invoice = id;
  return invoice;
}

/**
 * A new subscription's first invoice (`customer` + `subscription_details.items` without
 * `subscription`): what subscribing now would bill, a $0 trial invoice with `trial_end`. Built by
 * the real code in the sandbox, so nothing is stored; its `parent` is null, as no subscription exists.
 */
export function previewNewSubscription(
  op: Op,
  customer: Stripe.Customer,
  items: Array<{ price: PriceObject; quantity: number }>,
  trialEnd: number | null,
): InvoiceObject {
  const id = `upcoming_${newId('in')}`;
  return sandbox(op, () => {
    const now = op.now();
    const sub = createSubscription(op, {
      customer,
      items: items.map((item) => ({ ...item, metadata: {} })),
      metadata: {},
      description: null,
      default_payment_method: null,
      trial_end: trialEnd,
      cancel_at_period_end: false,
      discounts: [],
      checkout_session: null,
      missing_payment_method: 'create_invoice',
    });
    op.emu.billing.creating.delete(sub.id);
    const invoice = subscriptionInvoice(op, sub, {
      reason: 'subscription_create',
      lines: periodLines(op, sub, periodOf(sub), sub.status === 'trialing'),
      period: { start: now, end: now },
    });
    // No subscription exists to name (the preview's lines still say which price they bill).
    invoice.parent = null;
    return retag(invoice, id);
  });
}
