import type Stripe from 'stripe';
import { applyPaymentFacts, lockPayment } from '@/lib/billing/credits/settle';
import { idOf } from '@/lib/billing/ids';
import type { HandlerContext } from '@/lib/billing/mirror/context';
import { ensureMirroredCustomer } from '@/lib/billing/mirror/customer';
import { later, lockObject, versionToApply, type Mode } from '@/lib/billing/mirror/guard';
import { recordInvoicePayment } from '@/lib/billing/mirror/invoice-payment';

/**
 * The refund arrived before its payment was linked (any event may be the
 * first one seen): find the parent through Stripe. A credit purchase carries
 * our payment id in its PaymentIntent's metadata; a subscription invoice's
 * Payment is recorded now from the paid invoice.
 */
async function parentPayment(ctx: HandlerContext, refund: Stripe.Refund) {
  const intentId =
    idOf(refund.payment_intent) ??
    (idOf(refund.charge)
      ? idOf((await ctx.stripe.charges.retrieve(idOf(refund.charge)!)).payment_intent)
      : null);
  if (!intentId) return null;
  const intent = await ctx.stripe.paymentIntents.retrieve(intentId);
  if (intent.metadata?.payment_id) return lockPayment(ctx.tx, { id: intent.metadata.payment_id });
  const link = (
    await ctx.stripe.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: intentId },
      limit: 1,
    })
  ).data[0];
  const invoiceId = idOf(link?.invoice);
  if (!invoiceId) return null;
  const invoice = await ctx.stripe.invoices.retrieve(invoiceId);
  const customerId = idOf(invoice.customer);
  const customer = customerId ? await ensureMirroredCustomer(ctx, customerId) : null;
  if (!customer || invoice.status !== 'paid') return null;
  await recordInvoicePayment(ctx, invoice, customer.workspaceId);
  const recorded = await ctx.tx.payment.findUnique({ where: { invoiceId }, select: { id: true } });
  return recorded ? lockPayment(ctx.tx, { id: recorded.id }) : null;
}

/** Mirror one refund (created here, in the dashboard, or anywhere), under the newer-than guard. */
export async function applyRefund(
  ctx: HandlerContext,
  incoming: Stripe.Refund,
  mode: Mode = 'event',
): Promise<string> {
  await lockObject(ctx.tx, incoming.id);
  const stored = await ctx.tx.refund.findUnique({
    where: { id: incoming.id },
    select: { lastEventAt: true },
  });
  const refund = await versionToApply(mode, stored?.lastEventAt, ctx.eventAt, incoming, () =>
    ctx.stripe.refunds.retrieve(incoming.id),
  );
  if (!refund) return `skipped refund ${incoming.id}: event older than stored`;
  const payment =
    (refund.metadata?.payment_id ? await lockPayment(ctx.tx, { id: refund.metadata.payment_id }) : null) ??
    (idOf(refund.payment_intent)
      ? await lockPayment(ctx.tx, { paymentIntentId: idOf(refund.payment_intent)! })
      : null) ??
    (idOf(refund.charge) ? await lockPayment(ctx.tx, { chargeId: idOf(refund.charge)! }) : null) ??
    (await parentPayment(ctx, refund));
  if (!payment) return `ignored refund ${refund.id}: no Tollgate payment`;
  const lastEventAt = later(stored?.lastEventAt, ctx.eventAt);
  const data = {
    paymentId: payment.id,
    chargeId: idOf(refund.charge),
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status ?? 'pending',
    stripeReason: refund.reason,
    note: refund.metadata?.note ?? null,
    requestedById: refund.metadata?.requested_by ?? null,
    stripeCreated: new Date(refund.created * 1000),
    lastEventAt,
  };
  await ctx.tx.refund.upsert({ where: { id: refund.id }, create: { id: refund.id, ...data }, update: data });
  const outcome = `refund ${refund.id} ${data.status} (${refund.amount} ${refund.currency}) on payment ${payment.id}`;
  // A refund that failed gave the money back to us: Stripe's refunded total drops, and so do the clawbacks.
  if ((data.status === 'failed' || data.status === 'canceled') && idOf(refund.charge)) {
    const charge = await ctx.stripe.charges.retrieve(idOf(refund.charge)!);
    const settled = await applyPaymentFacts(ctx.tx, payment, {
      amountRefunded: charge.amount_refunded,
      refundedAt: ctx.eventAt,
      refundedIsCurrent: true,
    });
    return `${outcome}; ${settled}`;
  }
  return outcome;
}
