import type Stripe from 'stripe';
import { idOf } from '@/lib/billing/ids';
import type { HandlerContext } from '@/lib/billing/mirror/context';

/**
 * A paid subscription invoice becomes a Payment too, so the back office can
 * list and refund it like a credit purchase. Keyed by the invoice id.
 */
export async function recordInvoicePayment(
  ctx: HandlerContext,
  invoice: Stripe.Invoice,
  workspaceId: string,
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
  const payment = await ctx.tx.payment.create({
    select: { id: true },
    data: {
      workspaceId,
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
      // As payment_intent.succeeded records it, so the order of the two events does not matter.
      ...(intent?.status === 'succeeded'
        ? { amountCollected: intent.amount_received, collectedCurrency: intent.currency }
        : {}),
      amountRefunded,
      completedAt: paidAt,
      lastEventAt: ctx.eventAt,
    },
  });
  // A dispute mirrored before this row existed names no payment yet: it belongs to this one.
  if (charge)
    await ctx.tx.dispute.updateMany({
      where: { chargeId: charge.id, paymentId: null },
      data: { paymentId: payment.id },
    });
  return `recorded payment of ${invoice.amount_paid} ${invoice.currency}`;
}
