import type Stripe from 'stripe';
import { env } from '@/lib/env';
import { planForLookupKey } from '@/lib/billing/catalog';
import { postEntry } from '@/lib/billing/credits/ledger';
import { idOf } from '@/lib/billing/ids';
import { applyInvoice, applyInvoiceDeleted } from '@/lib/billing/mirror/invoice';
import { queueEmail } from '@/lib/email/outbox';
import { paymentFailedEmail, paymentRecoveredEmail } from '@/lib/email/templates';
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

async function emailOf(ctx: HandlerContext, userId: string): Promise<string | null> {
  return (await ctx.tx.user.findUnique({ where: { id: userId }, select: { email: true } }))?.email ?? null;
}

/** Dunning: each failed attempt is recorded and emailed once (keyed by invoice and attempt). */
export const invoicePaymentFailed: Handler<Stripe.InvoicePaymentFailedEvent> = async (event, ctx) => {
  const invoice = event.data.object;
  const { outcome, userId } = await applyInvoice(ctx, invoice);
  if (!userId || !invoice.id) return outcome;
  const to = await emailOf(ctx, userId);
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
  userId: string,
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
    userId,
    kind: 'subscription_allocation',
    amount: credits,
    sourceKey: `allocation:${invoice.id}`,
    memo: `${entry.plan.name} plan credits`,
  });
  return result.status === 'posted' ? `allocated ${credits} credits` : null;
}

/**
 * A paid subscription invoice becomes a Payment too, so the back office can
 * list and refund it like a credit purchase. Keyed by the invoice id.
 */
export async function recordInvoicePayment(
  ctx: HandlerContext,
  invoice: Stripe.Invoice,
  userId: string,
): Promise<string | null> {
  if (!invoice.id || invoice.amount_paid <= 0) return null;
  const existing = await ctx.tx.payment.findUnique({
    where: { invoiceId: invoice.id },
    select: { id: true },
  });
  if (existing) return null;
  const fromPayload = invoice.payments?.data.find((p) => p.payment.payment_intent)?.payment.payment_intent;
  const paymentIntentId =
    idOf(fromPayload) ??
    idOf(
      (await ctx.stripe.invoicePayments.list({ invoice: invoice.id, limit: 10 })).data.find(
        (p) => p.payment.payment_intent,
      )?.payment.payment_intent,
    );
  const intent = paymentIntentId
    ? await ctx.stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] })
    : null;
  const charge = intent && typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  const paidAt = invoice.status_transitions?.paid_at
    ? new Date(invoice.status_transitions.paid_at * 1000)
    : ctx.eventAt;
  const amountRefunded = charge?.amount_refunded ?? 0;
  await ctx.tx.payment.create({
    data: {
      userId,
      kind: 'subscription',
      status:
        amountRefunded >= invoice.amount_paid
          ? 'refunded'
          : amountRefunded > 0
            ? 'partially_refunded'
            : 'completed',
      amount: invoice.amount_paid,
      currency: invoice.currency,
      description: `Subscription invoice ${invoice.number ?? invoice.id}`,
      invoiceId: invoice.id,
      paymentIntentId,
      chargeId: charge?.id ?? null,
      // Whichever of charge.succeeded and invoice.paid comes first, the row ends the same.
      cardFingerprint: charge?.payment_method_details?.card?.fingerprint ?? null,
      amountRefunded,
      completedAt: paidAt,
      lastEventAt: ctx.eventAt,
    },
  });
  return `recorded payment of ${invoice.amount_paid} ${invoice.currency}`;
}

export const invoicePaid: Handler<Stripe.InvoicePaidEvent> = async (event, ctx) => {
  const invoice = event.data.object;
  const { outcome, userId } = await applyInvoice(ctx, invoice);
  if (!userId || !invoice.id) return outcome;
  const notes = [outcome];
  const recorded = await recordInvoicePayment(ctx, invoice, userId);
  if (recorded) notes.push(recorded);
  const allocated = await allocateCredits(ctx, invoice, userId);
  if (allocated) notes.push(allocated);
  if (invoice.attempt_count > 1) {
    const to = await emailOf(ctx, userId);
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
