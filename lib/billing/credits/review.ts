import 'server-only';
import { audit } from '@/lib/audit';
import { formatMoney } from '@/lib/billing/catalog';
import type { Tx } from '@/lib/billing/webhooks/types';
import { queueEmail } from '@/lib/email/outbox';
import { env } from '@/lib/env';
import type { Payment } from '@/lib/generated/prisma/client';

/** Every admin and finance user: who hears about money that needs a person. */
export async function staffEmails(tx: Tx): Promise<Array<{ id: string; email: string }>> {
  return tx.user.findMany({
    where: { role: { in: ['admin', 'finance'] } },
    select: { id: true, email: true },
    orderBy: { createdAt: 'asc' },
  });
}

/** Stripe collected something other than what the payment expects: audit it once and tell staff once. */
export async function flagForReview(
  tx: Tx,
  payment: Payment,
  collected: { amount: number; currency: string },
): Promise<void> {
  const reason = payment.reviewReason ?? 'amount mismatch';
  await audit(
    {
      actor: null,
      action: 'payment.amount_mismatch',
      dedupeKey: `payment.amount_mismatch:${payment.id}`,
      targetType: 'payment',
      targetId: payment.id,
      amount: collected.amount,
      currency: collected.currency,
      stripeIds: [payment.checkoutSessionId, payment.paymentIntentId].filter((id): id is string => !!id),
      reason,
      details: { expectedAmount: payment.amount, expectedCurrency: payment.currency },
    },
    tx,
  );
  for (const staff of await staffEmails(tx)) {
    await queueEmail(tx, {
      dedupeKey: `payment-review:${payment.id}:${staff.id}`,
      to: staff.email,
      subject: `Payment needs review: collected ${formatMoney(collected.amount, collected.currency)}, expected ${formatMoney(payment.amount, payment.currency)}`,
      text:
        `Stripe collected ${formatMoney(collected.amount, collected.currency)} for payment ${payment.id}, ` +
        `which expects ${formatMoney(payment.amount, payment.currency)}. No credits were granted.\n\n` +
        `Review it at ${env().APP_URL}/admin/payments/${payment.id}`,
    });
  }
}
