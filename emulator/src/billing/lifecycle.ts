import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import { newId } from '../ids';
import type { Op } from '../op';
import { idOf } from '../values';
import type { Full, InvoiceObject, PriceObject, SubscriptionObject } from '../types';
import { createDiscount, type Redeemable } from './discounts';
import {
  collectInvoice,
  type CollectOutcome,
  defaultPayment,
  paymentIntentFor,
  saveInvoice,
  voidInvoice,
} from './invoices';
import { createInvoiceItem } from './invoice-build';
import {
  announce,
  buildItem,
  changed,
  endSubscription,
  issue,
  paymentMethodOf,
  periodEndAfter,
  periodLines,
  periodOf,
  productName,
  saveState,
  saveSubscription,
  setPeriod,
  stateOf,
  subscriptionInvoice,
} from './subscriptions';
import { cycleEnd, formatDate } from './time';

/** How long a renewal invoice stays a draft before it is finalized and charged. */
export const RENEWAL_DRAFT_SECONDS = 60 * 60;

export interface NewSubscription {
  customer: Stripe.Customer;
  items: Array<{ price: PriceObject; quantity: number; metadata: Record<string, string> }>;
  metadata: Record<string, string>;
  description: string | null;
  default_payment_method: string | null;
  trial_end: number | null;
  cancel_at_period_end: boolean;
  discounts: Redeemable[];
  checkout_session: string | null;
  missing_payment_method: 'cancel' | 'create_invoice' | 'pause';
}

type Omitted = 'presentment_details' | 'status_details';

/** Builds and stores a subscription (not announced yet): trialing, or incomplete until paid. */
export function createSubscription(op: Op, input: NewSubscription): SubscriptionObject {
  const id = newId('sub');
  const now = op.now();
  const first = input.items[0]?.price.recurring;
  const trial = input.trial_end !== null && input.trial_end > now;
  const anchor = trial && input.trial_end !== null ? input.trial_end : now;
  const period = {
    start: now,
    end: trial ? anchor : cycleEnd(now, first?.interval ?? 'month', first?.interval_count ?? 1, 1),
  };
  const sub: Full<SubscriptionObject, Omitted> = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: anchor,
    billing_cycle_anchor_config: null,
    billing_mode: { type: 'classic', flexible: null },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: input.cancel_at_period_end ? period.end : null,
    cancel_at_period_end: input.cancel_at_period_end,
    canceled_at: input.cancel_at_period_end ? now : null,
    cancellation_details: {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: input.cancel_at_period_end ? 'cancellation_requested' : null,
    },
    collection_method: 'charge_automatically',
    created: now,
    currency: input.items[0]?.price.currency ?? 'usd',
    customer: input.customer.id,
    customer_account: null,
    days_until_due: null,
    default_payment_method: input.default_payment_method,
    default_source: null,
    default_tax_rates: [],
    description: input.description,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: {
      object: 'list',
      data: input.items.map((item) => buildItem(op, id, item, period)),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: trial ? 'trialing' : 'incomplete',
    test_clock: idOf(input.customer.test_clock),
    transfer_data: null,
    trial_end: trial ? input.trial_end : null,
    trial_settings: {
      end_behavior: { billing_cycle_anchor: null, missing_payment_method: input.missing_payment_method },
    },
    trial_start: trial ? now : null,
  };
  sub.discounts = input.discounts.map(
    (d) =>
      createDiscount(op, d, {
        customer: input.customer.id,
        subscription: id,
        checkout_session: input.checkout_session,
      }).id,
  );
  saveState(op, { id, announced: false, checkout_session: input.checkout_session, fired: [] });
  op.emu.billing.creating.add(id);
  return saveSubscription(op, sub);
}

/**
 * The first invoice: $0 with a trial (paid at once), else charged to the default card now.
 * `default_incomplete` only prepares the PaymentIntent; the caller announces the subscription.
 */
export function startSubscription(
  op: Op,
  sub: SubscriptionObject,
  options: {
    behavior: 'allow_incomplete' | 'default_incomplete' | 'error_if_incomplete';
    offSession: boolean;
    returnUrl: string | null;
  },
): { invoice: InvoiceObject; outcome: CollectOutcome | null } {
  const trial = sub.status === 'trialing';
  const period = periodOf(sub);
  const now = op.now();
  const invoice = subscriptionInvoice(op, sub, {
    reason: 'subscription_create',
    lines: periodLines(op, sub, period, trial),
    period: { start: now, end: now },
  });
  issue(op, invoice);
  let outcome: CollectOutcome | null = null;
  if (invoice.status === 'open' && options.behavior === 'default_incomplete') {
    // The client confirms it (latest_invoice.confirmation_secret).
    paymentIntentFor(op, invoice);
  } else if (invoice.status === 'open') {
    outcome = collectInvoice(op, invoice, {
      paymentMethod: paymentMethodOf(op, sub),
      offSession: options.offSession,
      returnUrl: options.returnUrl,
    });
  }
  return { invoice, outcome };
}

/** Announces a subscription its creator has finished setting up. */
export function finishCreation(op: Op, sub: SubscriptionObject): void {
  op.emu.billing.creating.delete(sub.id);
  announce(op, 'customer.subscription.created', sub);
}

/** A period end: cancel if asked to, end a trial, or start the next period and charge it. */
export function renew(op: Op, sub: SubscriptionObject): void {
  const { start: oldStart, end: oldEnd } = periodOf(sub);
  if (sub.cancel_at !== null && sub.cancel_at <= oldEnd) {
    endSubscription(op, sub, sub.cancellation_details?.reason ?? 'cancellation_requested');
    return;
  }
  const before = structuredClone(sub);
  const wasTrial = sub.status === 'trialing';
  if (wasTrial && !paymentMethodOf(op, sub)) {
    const behavior = sub.trial_settings?.end_behavior.missing_payment_method ?? 'create_invoice';
    if (behavior === 'cancel') return endSubscription(op, sub, 'cancellation_requested');
    if (behavior === 'pause') {
      sub.status = 'paused';
      changed(op, sub, before);
      op.emit('customer.subscription.paused', sub);
      return;
    }
  }
  const next = { start: oldEnd, end: periodEndAfter(sub, oldEnd) };
  setPeriod(sub, next);
  if (wasTrial) sub.status = 'active';
  const invoice = subscriptionInvoice(op, sub, {
    reason: 'subscription_cycle',
    lines: periodLines(op, sub, next, false),
    period: { start: oldStart, end: oldEnd },
  });
  changed(op, sub, before);
  // Stripe leaves a renewal invoice a draft for about an hour (for edits), then finalizes and
  // charges it (https://docs.stripe.com/billing/invoices/subscription#subscription-renewal).
  invoice.automatically_finalizes_at = op.now() + RENEWAL_DRAFT_SECONDS;
  saveInvoice(op, invoice);
  op.emit('invoice.created', invoice);
}

/** A paused subscription starts a new period now and is charged for it. */
export function resume(op: Op, sub: SubscriptionObject): void {
  const before = structuredClone(sub);
  const now = op.now();
  sub.billing_cycle_anchor = now;
  const period = { start: now, end: periodEndAfter(sub, now) };
  setPeriod(sub, period);
  sub.status = 'active';
  const invoice = subscriptionInvoice(op, sub, {
    reason: 'subscription_cycle',
    lines: periodLines(op, sub, period, false),
    period: { start: now, end: now },
  });
  changed(op, sub, before);
  op.emit('customer.subscription.resumed', sub);
  issue(op, invoice);
  if (invoice.status === 'open')
    collectInvoice(op, invoice, { paymentMethod: paymentMethodOf(op, sub), offSession: true });
}

/** A credit for the unused rest of the current period of every item (pending invoice items). */
export function creditUnusedTime(op: Op, sub: SubscriptionObject, at: number): void {
  const { start, end } = periodOf(sub);
  const customer = op.store.objects.customer.get(idOf(sub.customer) ?? '');
  if (!customer || sub.status === 'trialing' || at <= start || at >= end) return;
  for (const item of sub.items.data) {
    const quantity = item.quantity ?? 1;
    const amount = -Math.round(((item.price.unit_amount ?? 0) * quantity * (end - at)) / (end - start));
    createInvoiceItem(op, {
      customer,
      subscription: sub.id,
      subscriptionItem: item.id,
      amount,
      currency: sub.currency,
      description: `Unused time on ${quantity} × ${productName(op, item.price)} after ${formatDate(at)}`,
      period: { start: at, end },
      price: item.price,
      quantity,
      proration: true,
    });
  }
}

/** `subscriptions.cancel`: ends now; `prorate` credits unused time, `invoice_now` bills what is pending. */
export function cancelNow(
  op: Op,
  sub: SubscriptionObject,
  options: { prorate: boolean; invoiceNow: boolean },
): void {
  const now = op.now();
  if (sub.status === 'incomplete') {
    const first = op.store.objects.invoice.get(idOf(sub.latest_invoice) ?? '');
    if (first?.status === 'open') voidInvoice(op, first);
  }
  if (options.prorate) creditUnusedTime(op, sub, now);
  if (options.invoiceNow) {
    const pending = op.store.objects.invoiceitem
      .values()
      .some((i) => i.invoice === null && i.parent?.subscription_details?.subscription === sub.id);
    if (pending) {
      const invoice = subscriptionInvoice(op, sub, {
        reason: 'subscription_update',
        lines: [],
        period: { start: now, end: now },
      });
      issue(op, invoice);
      if (invoice.status === 'open')
        collectInvoice(op, invoice, { paymentMethod: paymentMethodOf(op, sub), offSession: true });
    }
  }
  endSubscription(op, sub, 'cancellation_requested');
}

/** 23 hours after creation an unpaid first invoice is voided and the subscription expires. */
export function expireIncomplete(op: Op, sub: SubscriptionObject): void {
  const invoice = op.store.objects.invoice.get(idOf(sub.latest_invoice) ?? '');
  if (invoice && (invoice.status === 'open' || invoice.status === 'uncollectible')) voidInvoice(op, invoice);
  const before = structuredClone(sub);
  sub.status = 'incomplete_expired';
  sub.ended_at = op.now();
  sub.canceled_at = op.now();
  changed(op, sub, before);
}

function subscriptionOf(op: Op, invoice: InvoiceObject): SubscriptionObject | undefined {
  const id = idOf(invoice.parent?.subscription_details?.subscription ?? null);
  const sub = id ? op.store.objects.subscription.get(id) : undefined;
  return sub && idOf(sub.latest_invoice) === invoice.id ? sub : undefined;
}

/** Subscription statuses follow their latest invoice. */
export function registerSubscriptionFlow(emu: Emulator): void {
  emu.hooks.invoicePaid.push((op, invoice) => {
    const sub = subscriptionOf(op, invoice);
    if (!sub || !['incomplete', 'past_due', 'unpaid'].includes(sub.status)) return;
    const before = structuredClone(sub);
    sub.status = sub.trial_end !== null && sub.trial_end > op.now() ? 'trialing' : 'active';
    const paidWith = idOf(paymentIntentOf(op, invoice)?.payment_method);
    if (sub.payment_settings?.save_default_payment_method === 'on_subscription' && paidWith)
      sub.default_payment_method = paidWith;
    if (emu.billing.creating.has(sub.id)) saveSubscription(op, sub);
    else if (!stateOf(op, sub).announced) announce(op, 'customer.subscription.created', sub);
    else changed(op, sub, before);
  });
  emu.hooks.invoicePaymentFailed.push((op, invoice, onSession) => {
    const sub = subscriptionOf(op, invoice);
    if (!sub || invoice.billing_reason === 'subscription_create') return;
    const before = structuredClone(sub);
    if (sub.status === 'active' || sub.status === 'trialing') sub.status = 'past_due';
    const exhausted = !onSession && invoice.next_payment_attempt === null && sub.status === 'past_due';
    if (exhausted && emu.billing.settings.dunning_final_action === 'cancel') {
      if (before.status !== 'past_due') changed(op, sub, before);
      endSubscription(op, sub, 'payment_failed');
      return;
    }
    if (exhausted) sub.status = 'unpaid';
    changed(op, sub, before);
  });
}

/** The PaymentIntent of an invoice (for the client to confirm, or to show on a page). */
export function paymentIntentOf(op: Op, invoice: InvoiceObject): Stripe.PaymentIntent | undefined {
  const payment = defaultPayment(op, invoice);
  return payment
    ? op.store.objects.payment_intent.get(idOf(payment.payment.payment_intent) ?? '')
    : undefined;
}
