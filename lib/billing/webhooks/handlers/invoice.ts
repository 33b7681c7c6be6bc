import type Stripe from 'stripe';
import { env } from '@/lib/env';
import { applyInvoice } from '@/lib/billing/mirror/invoice';
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

export const invoiceChanged: Handler<InvoiceEvent> = async (event, ctx) => (await applyInvoice(ctx, event.data.object)).outcome;

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
    ...paymentFailedEmail({ amountDue: invoice.amount_due, currency: invoice.currency, graceDays: env().DUNNING_GRACE_DAYS, hostedInvoiceUrl: invoice.hosted_invoice_url ?? null }),
  });
  return `${outcome}; payment-failed email ${queued ? 'queued' : 'already sent'}`;
};

export const invoicePaid: Handler<Stripe.InvoicePaidEvent> = async (event, ctx) => {
  const invoice = event.data.object;
  const { outcome, userId } = await applyInvoice(ctx, invoice);
  if (!userId || !invoice.id || invoice.attempt_count <= 1) return outcome;
  const to = await emailOf(ctx, userId);
  if (!to) return outcome;
  await queueEmail(ctx.tx, { dedupeKey: `payment-recovered:${invoice.id}`, to, ...paymentRecoveredEmail() });
  return `${outcome}; recovered after ${invoice.attempt_count} attempts`;
};
