import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import { newId } from '../ids';
import type { Op } from '../op';
import { isHardDecline } from '../payments/cards';
import { attemptPayment, cancelPaymentIntent, type AttemptOutcome } from '../payments/engine';
import { idOf } from '../values';
import { createPaymentIntent } from '../resources/payment-intents';
import type { InvoiceObject } from '../types';
import { invalidRequest } from '../wire/errors';
import { buildInvoice, itemLine, pendingItems, type InvoiceInput } from './invoice-build';
import { DAY } from './time';

export function saveInvoice(op: Op, invoice: InvoiceObject): InvoiceObject {
  return op.store.objects.invoice.set(invoice);
}

/**
 * Builds and stores a draft invoice, taking the customer's pending invoice items (of the same
 * subscription). Announcing it (`invoice.created`) is left to the caller, for event order.
 */
export function createInvoice(
  op: Op,
  input: InvoiceInput,
  options: { takePending?: boolean } = {},
): InvoiceObject {
  const id = newId('in');
  const items =
    options.takePending === false ? [] : pendingItems(op, input.customer.id, input.subscription?.id ?? null);
  const lines = [...input.lines, ...items.map((item) => itemLine(op, item))];
  const invoice = buildInvoice(op, { ...input, lines }, { id });
  for (const item of items) {
    item.invoice = id;
    op.store.objects.invoiceitem.set(item);
  }
  return saveInvoice(op, invoice);
}

function customerOf(op: Op, invoice: InvoiceObject): Stripe.Customer | undefined {
  return op.store.objects.customer.get(idOf(invoice.customer) ?? '');
}

/** The invoice's payment (`invoice_payment`) through a PaymentIntent, if one was started. */
export function defaultPayment(op: Op, invoice: InvoiceObject): Stripe.InvoicePayment | undefined {
  return op.store.objects.invoice_payment
    .values()
    .find((p) => idOf(p.invoice) === invoice.id && p.is_default);
}

export function invoiceOfPaymentIntent(
  op: Op,
  pi: Stripe.PaymentIntent,
): { invoice: InvoiceObject; payment: Stripe.InvoicePayment } | null {
  const payment = op.store.objects.invoice_payment
    .values()
    .find((p) => idOf(p.payment.payment_intent) === pi.id);
  const invoice = payment ? op.store.objects.invoice.get(idOf(payment.invoice) ?? '') : undefined;
  return payment && invoice ? { invoice, payment } : null;
}

/** Marks the invoice paid (by its PaymentIntent, or out of band) and announces it. */
export function markPaid(op: Op, invoice: InvoiceObject, payment: Stripe.InvoicePayment | null): void {
  const now = op.now();
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.status = 'paid';
  invoice.attempted = true;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = now;
  saveInvoice(op, invoice);
  if (payment) {
    payment.status = 'paid';
    payment.amount_paid = invoice.amount_paid;
    payment.status_transitions.paid_at = now;
    op.store.objects.invoice_payment.set(payment);
    op.emit('invoice_payment.paid', payment);
  }
  op.emit('invoice.paid', invoice);
  op.emit('invoice.payment_succeeded', invoice);
  for (const hook of op.emu.hooks.invoicePaid) hook(op, invoice);
}

/** Draft → open: number, balance, hosted page; a $0 invoice is paid at once. */
export function finalizeInvoice(op: Op, invoice: InvoiceObject): InvoiceObject {
  if (invoice.status !== 'draft')
    throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.", {
      code: 'invoice_not_editable',
    });
  const customer = customerOf(op, invoice);
  const now = op.now();
  if (customer) {
    const balance = customer.balance;
    const combined = invoice.total + balance;
    invoice.starting_balance = balance;
    invoice.amount_due = Math.max(0, combined);
    invoice.ending_balance = Math.min(0, combined);
    invoice.number = `${customer.invoice_prefix ?? 'INV'}-${String(customer.next_invoice_sequence ?? 1).padStart(4, '0')}`;
    const before = structuredClone(customer);
    customer.next_invoice_sequence = (customer.next_invoice_sequence ?? 1) + 1;
    customer.balance = invoice.ending_balance;
    op.store.objects.customer.set(customer);
    if (before.balance !== customer.balance) op.emitUpdated('customer.updated', before, customer);
  } else {
    invoice.amount_due = Math.max(0, invoice.total);
    invoice.ending_balance = 0;
  }
  invoice.amount_remaining = invoice.amount_due;
  invoice.status = 'open';
  invoice.effective_at = now;
  invoice.status_transitions.finalized_at = now;
  invoice.hosted_invoice_url = `${op.emu.baseUrl}/i/${invoice.id}`;
  invoice.invoice_pdf = `${op.emu.baseUrl}/invoice_pdf/${invoice.id}`;
  saveInvoice(op, invoice);
  op.emit('invoice.finalized', invoice);
  if (invoice.amount_due === 0) markPaid(op, invoice, null);
  return invoice;
}

const DESCRIPTION: Record<string, string> = {
  subscription_create: 'Subscription creation',
  subscription_cycle: 'Subscription update',
  subscription_update: 'Subscription update',
};

/** The PaymentIntent that collects an invoice, created with its `invoice_payment` on first use. */
export function paymentIntentFor(op: Op, invoice: InvoiceObject): Stripe.PaymentIntent {
  const existing = defaultPayment(op, invoice);
  const pi = existing
    ? op.store.objects.payment_intent.get(idOf(existing.payment.payment_intent) ?? '')
    : undefined;
  if (pi && pi.status !== 'canceled' && pi.status !== 'succeeded') return pi;
  const created = createPaymentIntent(op, {
    amount: invoice.amount_remaining,
    currency: invoice.currency,
    customer: idOf(invoice.customer),
    description: DESCRIPTION[invoice.billing_reason ?? ''] ?? `Invoice ${invoice.number ?? invoice.id}`,
    metadata: {},
    payment_method_types: ['card'],
  });
  const payment: Stripe.InvoicePayment = {
    id: newId('inpay'),
    object: 'invoice_payment',
    amount_paid: null,
    amount_requested: invoice.amount_remaining,
    created: op.now(),
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: created.id },
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
  };
  op.store.objects.invoice_payment.set(payment);
  return created;
}

export type CollectOutcome = AttemptOutcome | { status: 'no_payment_method'; message: string };

/**
 * One attempt to collect an open invoice with a card: the PaymentIntent is created once and
 * confirmed again on each attempt. Off-session attempts are the automatic ones (renewals,
 * retries); on-session ones are the customer paying (Checkout, the hosted invoice page).
 */
export function collectInvoice(
  op: Op,
  invoice: InvoiceObject,
  options: { paymentMethod: string | null; offSession: boolean; returnUrl?: string | null },
): CollectOutcome {
  if (invoice.status !== 'open' && invoice.status !== 'uncollectible') {
    throw invalidRequest(`Invoice is already ${invoice.status}`, { code: 'invoice_not_editable' });
  }
  invoice.attempt_count += 1;
  invoice.attempted = true;
  saveInvoice(op, invoice);
  if (!options.paymentMethod) {
    const message = 'This customer has no attached payment source or default payment method.';
    invoicePaymentFailed(op, invoice, !options.offSession);
    return { status: 'no_payment_method', message };
  }
  const pi = paymentIntentFor(op, invoice);
  pi.amount = invoice.amount_remaining;
  pi.payment_method = options.paymentMethod;
  pi.status = 'requires_confirmation';
  pi.next_action = null;
  op.store.objects.payment_intent.set(pi);
  if (options.offSession) op.emu.billing.onSession.delete(pi.id);
  else op.emu.billing.onSession.add(pi.id);
  const outcome = attemptPayment(op, pi, {
    offSession: options.offSession,
    returnUrl: options.returnUrl ?? null,
    awaitActionOffSession: true,
  });
  if (outcome.status === 'requires_action') {
    op.emit('invoice.payment_action_required', invoice);
    // An automatic attempt that needs the customer counts as failed for dunning: Stripe sends
    // invoice.payment_failed too and the subscription goes past_due until they authenticate.
    if (options.offSession) invoicePaymentFailed(op, invoice, false);
  } else op.emu.billing.onSession.delete(pi.id);
  return outcome;
}

const RETRIED: Array<string | null> = ['subscription_cycle', 'subscription_update', 'subscription'];

/**
 * When an invoice whose automatic attempt just failed is tried again (null: never). Smart Retries
 * spread `smart_retry_count` retries evenly over the window from the first attempt (Stripe picks
 * the times with a model; the emulator keeps them predictable); a custom schedule waits
 * `dunning_retry_days[n]` after the n-th attempt.
 */
function nextRetry(op: Op, invoice: InvoiceObject): number | null {
  const settings = op.emu.billing.settings;
  const now = op.now();
  if (settings.dunning_retry_policy === 'custom') {
    const wait = settings.dunning_retry_days[invoice.attempt_count - 1];
    return wait === undefined ? null : now + Math.round(wait * DAY);
  }
  const first = invoice.status_transitions.finalized_at ?? invoice.created;
  const step = (settings.smart_retry_window_days * DAY) / settings.smart_retry_count;
  for (let retry = 1; retry <= settings.smart_retry_count; retry++) {
    const at = first + Math.round(retry * step);
    if (at > now) return at;
  }
  return null;
}

/** After a failed attempt: schedule the next automatic retry (if any) and announce the failure. */
function invoicePaymentFailed(op: Op, invoice: InvoiceObject, onSession: boolean, hardDecline = false): void {
  if (!onSession) {
    // Hard declines (lost, stolen, fraudulent) are never retried (https://docs.stripe.com/billing/revenue-recovery/smart-retries).
    const retried = RETRIED.includes(invoice.billing_reason) && !hardDecline;
    invoice.next_payment_attempt = retried ? nextRetry(op, invoice) : null;
  }
  saveInvoice(op, invoice);
  op.emit('invoice.payment_failed', invoice);
  for (const hook of op.emu.hooks.invoicePaymentFailed) hook(op, invoice, onSession);
}

export function voidInvoice(op: Op, invoice: InvoiceObject): void {
  if (invoice.status !== 'open' && invoice.status !== 'uncollectible') {
    throw invalidRequest(
      `You can only void open or uncollectible invoices; this invoice is ${invoice.status}.`,
      { code: 'invoice_not_editable' },
    );
  }
  const payment = defaultPayment(op, invoice);
  const pi = payment
    ? op.store.objects.payment_intent.get(idOf(payment.payment.payment_intent) ?? '')
    : undefined;
  if (pi && pi.status !== 'succeeded' && pi.status !== 'canceled')
    cancelPaymentIntent(op, pi, 'void_invoice');
  if (payment) {
    payment.status = 'canceled';
    payment.status_transitions.canceled_at = op.now();
    op.store.objects.invoice_payment.set(payment);
  }
  invoice.status = 'void';
  invoice.next_payment_attempt = null;
  invoice.status_transitions.voided_at = op.now();
  saveInvoice(op, invoice);
  op.emit('invoice.voided', invoice);
}

export function markUncollectible(op: Op, invoice: InvoiceObject): void {
  if (invoice.status !== 'open') {
    throw invalidRequest(
      `You can only mark open invoices uncollectible; this invoice is ${invoice.status}.`,
      { code: 'invoice_not_editable' },
    );
  }
  invoice.status = 'uncollectible';
  invoice.next_payment_attempt = null;
  invoice.status_transitions.marked_uncollectible_at = op.now();
  saveInvoice(op, invoice);
  op.emit('invoice.marked_uncollectible', invoice);
}

/** Whether the attempt now failing was made on-session (by the customer, not a retry). */
export function wasOnSession(op: Op, pi: Stripe.PaymentIntent): boolean {
  return op.emu.billing.onSession.has(pi.id);
}

/** Payment outcomes of invoice PaymentIntents, including 3-D Secure answered later. */
export function registerInvoiceFlow(emu: Emulator): void {
  emu.hooks.paymentSucceeded.push((op, pi) => {
    emu.billing.onSession.delete(pi.id);
    const found = invoiceOfPaymentIntent(op, pi);
    if (!found || found.invoice.status === 'paid') return;
    markPaid(op, found.invoice, found.payment);
  });
  emu.hooks.paymentFailed.push((op, pi) => {
    const found = invoiceOfPaymentIntent(op, pi);
    if (!found || found.invoice.status === 'paid') return;
    invoicePaymentFailed(
      op,
      found.invoice,
      wasOnSession(op, pi),
      isHardDecline(pi.last_payment_error?.decline_code),
    );
  });
}
