import 'server-only';
import { z } from 'zod';
import { audit } from '@/lib/audit';
import type { CurrentUser } from '@/lib/auth/session';
import { BillingError } from '@/lib/billing/errors';
import { applyRefund } from '@/lib/billing/mirror/refund';
import { callStripe, stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';

export const REFUND_ROLES = ['admin', 'finance'] as const;

export const refundSchema = z.object({
  paymentId: z.string().min(1),
  amount: z.coerce
    .number({ error: 'Enter an amount in cents.' })
    .int('Enter a whole number of cents.')
    .positive('The amount must be more than zero.'),
  reason: z
    .string()
    .trim()
    .min(3, 'Say why (at least 3 characters).')
    .max(500, 'Use at most 500 characters.'),
  stripeReason: z.enum(['requested_by_customer', 'duplicate', 'fraudulent']).default('requested_by_customer'),
  // One per rendered form: a double click or a resubmission sends the same token and makes one refund.
  token: z.string().min(8).max(100),
});

export type RefundInput = z.infer<typeof refundSchema>;

/** What can still be refunded: Stripe's refunded total, or refunds requested here that Stripe has not reported yet. */
export async function refundableAmount(paymentId: string): Promise<number> {
  const payment = await db.payment.findUniqueOrThrow({
    where: { id: paymentId },
    select: { amount: true, amountRefunded: true },
  });
  const requested = await db.refund.aggregate({
    where: { paymentId, status: { in: ['pending', 'succeeded', 'requires_action'] } },
    _sum: { amount: true },
  });
  return payment.amount - Math.max(payment.amountRefunded, requested._sum.amount ?? 0);
}

/**
 * Refund (part of) a completed payment through Stripe's refunds API. The local
 * Refund row and the payment's refunded total change only when Stripe's
 * `refund.*` and `charge.refunded` webhooks arrive. The token is the Stripe
 * idempotency key, so repeating a request returns the same refund, and the
 * audit entry is written once per refund (its dedupe key is unique).
 */
export async function issueRefund(actor: CurrentUser, input: RefundInput) {
  if (!REFUND_ROLES.includes(actor.role as (typeof REFUND_ROLES)[number]))
    throw new BillingError(404, 'Not found');
  const payment = await db.payment.findUnique({ where: { id: input.paymentId } });
  if (!payment) throw new BillingError(404, 'Not found');
  if (!payment.completedAt || !payment.paymentIntentId)
    throw new BillingError(400, 'Only completed payments can be refunded.');
  if (payment.sample) throw new BillingError(400, 'Sample payments cannot be refunded.');
  const refundable = await refundableAmount(payment.id);
  const refund = await callStripe((s) =>
    s.refunds.list({ payment_intent: payment.paymentIntentId!, limit: 100 }).then(async (existing) => {
      const replay = existing.data.find((r) => r.metadata?.tollgate_token === input.token);
      // A token is bound to its request: the same token for another amount is an error, never the first refund.
      if (replay && replay.amount !== input.amount)
        throw new BillingError(
          400,
          `This refund form was already used (idempotency key '${input.token}'): reload the page to refund again.`,
        );
      if (replay) return replay;
      if (input.amount > refundable)
        throw new BillingError(400, `At most ${refundable} cents can be refunded.`);
      return s.refunds.create(
        {
          payment_intent: payment.paymentIntentId!,
          amount: input.amount,
          reason: input.stripeReason,
          metadata: {
            payment_id: payment.id,
            requested_by: actor.id,
            note: input.reason.slice(0, 450),
            tollgate_token: input.token,
          },
        },
        { idempotencyKey: `refund-${payment.id}-${input.token}` },
      );
    }),
  );
  // Mirror it now, so the refundable amount shown next is already net of it (webhooks confirm later).
  await db.$transaction((tx) =>
    applyRefund({ tx, stripe: stripe(), eventAt: new Date(refund.created * 1000) }, refund),
  );
  await audit({
    actor,
    action: 'refund.requested',
    dedupeKey: `refund.requested:${refund.id}`,
    targetType: 'payment',
    targetId: payment.id,
    amount: refund.amount,
    currency: refund.currency,
    stripeIds: [refund.id, payment.paymentIntentId, ...(payment.chargeId ? [payment.chargeId] : [])],
    reason: input.reason,
  });
  return { refundId: refund.id, amount: refund.amount, status: refund.status };
}
