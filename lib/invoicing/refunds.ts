import 'server-only';
import type Stripe from 'stripe';
import { z } from 'zod';
import { audit } from '@/lib/audit';
import { stripeFor } from '@/lib/billing/connections';
import { BillingError } from '@/lib/billing/errors';
import { toBillingError } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { formatMoney } from '@/lib/format';
import { syncPayment } from './events';
import { parseMoney } from './inputs';

// Refunds of client payments, from the workspace (billing right), with a reason, audited once per
// refund. Modelled on the back office's refunds (lib/billing/refunds.ts): the form's token is the
// Stripe idempotency key, so a double click makes one refund.

export const clientRefundSchema = z.object({
  paymentId: z.string().trim().min(1).max(64),
  amount: z.string().transform((raw, ctx) => {
    const cents = parseMoney(raw);
    if (!cents) {
      ctx.addIssue({ code: 'custom', message: 'Enter an amount to refund, such as 50 or 12.50.' });
      return z.NEVER;
    }
    return cents;
  }),
  reason: z
    .string()
    .trim()
    .min(3, 'Say why (at least 3 characters).')
    .max(500, 'Use at most 500 characters.'),
  // One per rendered form: a double click or a resubmission sends the same token.
  token: z.string().min(8).max(100),
});
export type ClientRefundInput = z.output<typeof clientRefundSchema>;

/** Refunds that count against what is left: everything but failed and canceled ones. */
const counted = (refund: Stripe.Refund) => refund.status !== 'failed' && refund.status !== 'canceled';

export async function refundClientPayment(
  workspaceId: string,
  actor: { id: string; email: string },
  input: ClientRefundInput,
) {
  const payment = await db.clientPayment.findFirst({ where: { id: input.paymentId, workspaceId } });
  if (!payment) throw new BillingError(404, 'Not found');
  const { stripe, account } = await stripeFor(workspaceId).catch((error: unknown) => {
    throw toBillingError(error);
  });
  // Refunds of one payment are decided one at a time (the row's lock), so two different forms
  // submitted at once cannot refund more than was paid.
  const refund = await db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM "ClientPayment" WHERE id = ${payment.id} FOR UPDATE`;
      try {
        const existing = await stripe.refunds.list({ payment_intent: payment.paymentIntentId, limit: 100 });
        const replay = existing.data.find((r) => r.metadata?.tollgate_token === input.token);
        if (replay && replay.amount !== input.amount)
          throw new BillingError(400, 'This refund form was already used: reload the page to refund again.');
        if (replay) return replay;
        const refunded = existing.data.filter(counted).reduce((sum, r) => sum + r.amount, 0);
        const left = payment.amount - Math.max(refunded, payment.amountRefunded);
        if (input.amount > left)
          throw new BillingError(400, `At most ${formatMoney(left, payment.currency)} can be refunded.`);
        return await stripe.refunds.create(
          {
            payment_intent: payment.paymentIntentId,
            amount: input.amount,
            reason: 'requested_by_customer',
            metadata: {
              tollgate_client_invoice: payment.invoiceId,
              requested_by: actor.id,
              note: input.reason.slice(0, 450),
              tollgate_token: input.token,
            },
            // The operator's fee on a Connect payment is given back in proportion.
            ...(account.via === 'connect' && payment.applicationFee ? { refund_application_fee: true } : {}),
          },
          { idempotencyKey: `client-refund-${payment.id}-${input.token}` },
        );
      } catch (error) {
        throw toBillingError(error);
      }
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  await audit({
    actor,
    action: 'client_refund.requested',
    dedupeKey: `client_refund.requested:${refund.id}`,
    targetType: 'client_invoice',
    targetId: payment.invoiceId,
    amount: refund.amount,
    currency: refund.currency,
    stripeIds: [refund.id, payment.paymentIntentId],
    reason: input.reason,
  });
  // Show the refunded total at once, as Stripe reports it (its webhooks confirm the same figure).
  await syncPayment(workspaceId, payment.paymentIntentId);
  return { refundId: refund.id, amount: refund.amount, currency: refund.currency, status: refund.status };
}
