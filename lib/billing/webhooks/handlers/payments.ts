import type Stripe from 'stripe';
import { declineMessage } from '@/lib/billing/declines';
import { applyPaymentFacts, lockPayment, type PaymentFacts } from '@/lib/billing/credits/settle';
import { idOf } from '@/lib/billing/ids';
import type { Handler, HandlerContext } from '../types';

type Lookup = {
  checkoutSessionId?: string;
  paymentIntentId?: string;
  chargeId?: string;
  metadataPaymentId?: string;
};

/** Find (and lock) the Payment an object belongs to: by its Stripe ids, else by the payment_id we put in its metadata. */
async function paymentFor(ctx: HandlerContext, lookup: Lookup) {
  for (const where of [
    lookup.checkoutSessionId ? { checkoutSessionId: lookup.checkoutSessionId } : null,
    lookup.paymentIntentId ? { paymentIntentId: lookup.paymentIntentId } : null,
    lookup.chargeId ? { chargeId: lookup.chargeId } : null,
    lookup.metadataPaymentId ? { id: lookup.metadataPaymentId } : null,
  ]) {
    if (!where) continue;
    const payment = await lockPayment(ctx.tx, where);
    if (payment) return payment;
  }
  return null;
}

async function apply(
  ctx: HandlerContext,
  lookup: Lookup,
  facts: PaymentFacts,
  what: string,
): Promise<string> {
  const payment = await paymentFor(ctx, lookup);
  if (!payment) return `ignored ${what}: no Tollgate payment`;
  return applyPaymentFacts(ctx.tx, payment, { ...facts, lastEventAt: ctx.eventAt });
}

/** What a paid checkout session collected, as Stripe reports it. */
const collectedBy = (session: Stripe.Checkout.Session) => ({
  amount: session.amount_total ?? 0,
  currency: session.currency ?? '',
});

export async function creditCheckoutCompleted(
  session: Stripe.Checkout.Session,
  ctx: HandlerContext,
): Promise<string> {
  const paid = session.payment_status === 'paid' || session.payment_status === 'no_payment_required';
  return apply(
    ctx,
    { checkoutSessionId: session.id, metadataPaymentId: session.metadata?.payment_id },
    {
      ...(paid ? { completedAt: ctx.eventAt, collected: collectedBy(session) } : {}),
      paymentIntentId: idOf(session.payment_intent),
    },
    `checkout ${session.id}`,
  );
}

export const checkoutAsyncSucceeded: Handler<Stripe.CheckoutSessionAsyncPaymentSucceededEvent> = (
  event,
  ctx,
) =>
  apply(
    ctx,
    { checkoutSessionId: event.data.object.id, metadataPaymentId: event.data.object.metadata?.payment_id },
    {
      completedAt: ctx.eventAt,
      collected: collectedBy(event.data.object),
      paymentIntentId: idOf(event.data.object.payment_intent),
    },
    `checkout ${event.data.object.id}`,
  );

export const checkoutAsyncFailed: Handler<Stripe.CheckoutSessionAsyncPaymentFailedEvent> = (event, ctx) =>
  apply(
    ctx,
    { checkoutSessionId: event.data.object.id, metadataPaymentId: event.data.object.metadata?.payment_id },
    { unpaidStatus: 'failed' },
    `checkout ${event.data.object.id}`,
  );

export const checkoutExpired: Handler<Stripe.CheckoutSessionExpiredEvent> = (event, ctx) =>
  apply(
    ctx,
    { checkoutSessionId: event.data.object.id, metadataPaymentId: event.data.object.metadata?.payment_id },
    { unpaidStatus: 'expired' },
    `checkout ${event.data.object.id}`,
  );

const intentLookup = (intent: Stripe.PaymentIntent): Lookup => ({
  paymentIntentId: intent.id,
  metadataPaymentId: intent.metadata?.payment_id,
});

export const paymentIntentSucceeded: Handler<Stripe.PaymentIntentSucceededEvent> = (event, ctx) =>
  apply(
    ctx,
    intentLookup(event.data.object),
    {
      completedAt: ctx.eventAt,
      collected: { amount: event.data.object.amount_received, currency: event.data.object.currency },
      paymentIntentId: event.data.object.id,
      chargeId: idOf(event.data.object.latest_charge),
    },
    `payment intent ${event.data.object.id}`,
  );

export const paymentIntentFailed: Handler<Stripe.PaymentIntentPaymentFailedEvent> = async (event, ctx) => {
  const intent = event.data.object;
  const payment = await paymentFor(ctx, intentLookup(intent));
  if (!payment) return `ignored payment intent ${intent.id}: no Tollgate payment`;
  // In hosted checkout the customer may try another card, so only a direct PaymentIntent fails the payment.
  return applyPaymentFacts(ctx.tx, payment, {
    failureMessage: declineMessage(intent.last_payment_error),
    paymentIntentId: intent.id,
    ...(payment.checkoutSessionId ? {} : { unpaidStatus: 'failed' as const }),
    lastEventAt: ctx.eventAt,
  });
};

export const paymentIntentCanceled: Handler<Stripe.PaymentIntentCanceledEvent> = async (event, ctx) => {
  const intent = event.data.object;
  const payment = await paymentFor(ctx, intentLookup(intent));
  if (!payment) return `ignored payment intent ${intent.id}: no Tollgate payment`;
  return applyPaymentFacts(ctx.tx, payment, {
    ...(payment.checkoutSessionId ? {} : { unpaidStatus: 'canceled' as const }),
    lastEventAt: ctx.eventAt,
  });
};

export const chargeSucceeded: Handler<Stripe.ChargeSucceededEvent> = (event, ctx) =>
  apply(
    ctx,
    {
      chargeId: event.data.object.id,
      paymentIntentId: idOf(event.data.object.payment_intent) ?? undefined,
      metadataPaymentId: event.data.object.metadata?.payment_id,
    },
    {
      chargeId: event.data.object.id,
      cardFingerprint: event.data.object.payment_method_details?.card?.fingerprint ?? null,
    },
    `charge ${event.data.object.id}`,
  );

/** Refunds: Stripe's refunded total on the charge is the truth, whatever order partial refunds arrive in. */
export const chargeRefunded: Handler<Stripe.ChargeRefundedEvent> = async (event, ctx) => {
  const charge = event.data.object;
  return apply(
    ctx,
    {
      chargeId: charge.id,
      paymentIntentId: idOf(charge.payment_intent) ?? undefined,
      metadataPaymentId: charge.metadata?.payment_id,
    },
    { chargeId: charge.id, amountRefunded: charge.amount_refunded, refundedAt: ctx.eventAt },
    `charge ${charge.id}`,
  );
};
