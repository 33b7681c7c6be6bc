import type Stripe from 'stripe';
import { env } from '@/lib/env';
import { planForLookupKey } from '@/lib/billing/catalog';
import { postEntry } from '@/lib/billing/credits/ledger';
import { lockPayment, settleCredits } from '@/lib/billing/credits/settle';
import { idOf } from '@/lib/billing/ids';
import { applyInvoice, applyInvoiceDeleted, markInvoiceActionRequired } from '@/lib/billing/mirror/invoice';
import { recordInvoicePayment } from '@/lib/billing/mirror/invoice-payment';
import { queueEmail } from '@/lib/email/outbox';
import { billingEmailOf } from '@/lib/workspaces/billing-contact';
import { paymentActionRequiredEmail, paymentFailedEmail, paymentRecoveredEmail } from '@/lib/email/templates';
import type { Handler, HandlerContext } from '../types';

type InvoiceEvent =
  | Stripe.InvoiceCreatedEvent
  | Stripe.InvoiceFinalizedEvent
  | Stripe.InvoiceUpdatedEvent
  | Stripe.InvoiceVoidedEvent
  | Stripe.InvoiceMarkedUncollectibleEvent
  | Stripe.InvoicePaymentSucceededEvent;

export const invoiceChanged: Handler<InvoiceEvent> = async (event, ctx) =>
  (await applyInvoice(ctx, event.data.object)).outcome;

export const invoiceDeleted: Handler<Stripe.InvoiceDeletedEvent> = (event, ctx) =>
  applyInvoiceDeleted(ctx, event.data.object);

function emailOf(ctx: HandlerContext, workspaceId: string): Promise<string | null> {
  return billingEmailOf(ctx.tx, workspaceId);
}

/** Whether the invoice's payment waits for the customer to authenticate (not a decline). */
async function awaitsAuthentication(ctx: HandlerContext, invoice: Stripe.Invoice): Promise<boolean> {
  if (!invoice.id) return false;
  const payments = await ctx.stripe.invoicePayments.list({ invoice: invoice.id, limit: 10 });
  const intentId = idOf(payments.data.find((p) => p.is_default)?.payment.payment_intent ?? null);
  if (!intentId) return false;
  return (await ctx.stripe.paymentIntents.retrieve(intentId)).status === 'requires_action';
}

/**
 * SCA: a renewal needs the customer to authenticate (https://docs.stripe.com/billing/subscriptions/overview#requires-action).
 * Recorded for the billing page's banner and emailed once per attempt with the hosted invoice page.
 */
export const invoicePaymentActionRequired: Handler<Stripe.InvoicePaymentActionRequiredEvent> = async (
  event,
  ctx,
) => {
  const invoice = event.data.object;
  const { outcome, workspaceId } = await applyInvoice(ctx, invoice);
  if (!workspaceId || !invoice.id) return outcome;
  await markInvoiceActionRequired(ctx, invoice.id);
  const to = await emailOf(ctx, workspaceId);
  if (!to) return `${outcome}; needs authentication`;
  const queued = await queueEmail(ctx.tx, {
    dedupeKey: `invoice-payment-action-required:${invoice.id}:${invoice.attempt_count}`,
    to,
    ...paymentActionRequiredEmail({
      amountDue: invoice.amount_due,
      currency: invoice.currency,
      hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    }),
  });
  return `${outcome}; needs authentication; action email ${queued ? 'queued' : 'already sent'}`;
};

/** Dunning: each failed attempt is recorded and emailed once (keyed by invoice and attempt). */
export const invoicePaymentFailed: Handler<Stripe.InvoicePaymentFailedEvent> = async (event, ctx) => {
  const invoice = event.data.object;
  const { outcome, workspaceId, applied } = await applyInvoice(ctx, invoice);
  if (!workspaceId || !invoice.id) return outcome;
  // Only for current state: an event the order guard skipped, or an invoice paid since, sends nothing.
  if (!applied || applied.status === 'paid' || applied.status === 'void')
    return `${outcome}; no payment-failed email (not current)`;
  // An attempt waiting for authentication gets the "confirm your payment" email instead.
  if (await awaitsAuthentication(ctx, invoice)) return `${outcome}; awaits authentication, no failure email`;
  const to = await emailOf(ctx, workspaceId);
  if (!to) return outcome;
  const queued = await queueEmail(ctx.tx, {
    dedupeKey: `invoice-payment-failed:${invoice.id}:${invoice.attempt_count}`,
    to,
    ...paymentFailedEmail({
      amountDue: invoice.amount_due,
      currency: invoice.currency,
      graceDays: env().DUNNING_GRACE_DAYS,
      hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    }),
  });
  return `${outcome}; payment-failed email ${queued ? 'queued' : 'already sent'}`;
};

/**
 * The plan's credit allocation, once per paid invoice for a period (not for
 * prorations; trial invoices of $0 grant nothing). The plan is read from the
 * invoice's own line, so the result does not depend on event order.
 */
async function allocateCredits(
  ctx: HandlerContext,
  invoice: Stripe.Invoice,
  workspaceId: string,
): Promise<string | null> {
  if (!invoice.id || invoice.amount_paid <= 0) return null;
  if (invoice.billing_reason !== 'subscription_create' && invoice.billing_reason !== 'subscription_cycle')
    return null;
  const line =
    invoice.lines.data.find((l) => !l.parent?.subscription_item_details?.proration) ?? invoice.lines.data[0];
  const priceRef = line?.pricing?.price_details?.price;
  if (!priceRef) return null;
  const price = typeof priceRef === 'string' ? await ctx.stripe.prices.retrieve(priceRef) : priceRef;
  const entry = planForLookupKey(price.lookup_key);
  if (!entry || entry.plan.monthlyCredits <= 0) return null;
  const credits = entry.plan.monthlyCredits * (entry.interval === 'year' ? 12 : 1);
  const result = await postEntry(ctx.tx, {
    workspaceId,
    kind: 'subscription_allocation',
    amount: credits,
    sourceKey: `allocation:${invoice.id}`,
    memo: `${entry.plan.name} plan credits`,
  });
  if (result.status !== 'posted') return null;
  // A refund or dispute may have arrived first: the allocation follows the invoice's money at once.
  const payment = await lockPayment(ctx.tx, { invoiceId: invoice.id });
  const settled = payment ? await settleCredits(ctx.tx, payment) : '';
  return `allocated ${credits} credits${settled ? `; ${settled}` : ''}`;
}

export const invoicePaid: Handler<Stripe.InvoicePaidEvent> = async (event, ctx) => {
  const invoice = event.data.object;
  const { outcome, workspaceId } = await applyInvoice(ctx, invoice);
  if (!workspaceId || !invoice.id) return outcome;
  const notes = [outcome];
  const recorded = await recordInvoicePayment(ctx, invoice, workspaceId);
  if (recorded) notes.push(recorded);
  const allocated = await allocateCredits(ctx, invoice, workspaceId);
  if (allocated) notes.push(allocated);
  if (invoice.attempt_count > 1) {
    const to = await emailOf(ctx, workspaceId);
    if (to)
      await queueEmail(ctx.tx, {
        dedupeKey: `payment-recovered:${invoice.id}`,
        to,
        ...paymentRecoveredEmail(),
      });
    notes.push(`recovered after ${invoice.attempt_count} attempts`);
  }
  return notes.join('; ');
};
