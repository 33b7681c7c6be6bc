import 'server-only';
import type { Tx } from '@/lib/db';
import type { Payment } from '@/lib/generated/prisma/client';
import type { PaymentStatus } from '@/lib/generated/prisma/enums';
import { postEntry } from './ledger';

export const REFERRAL_BONUS_CREDITS = 1_000;
export const REFERRAL_MIN_PURCHASE_CENTS = 1_000;

/** Lock a payment row for the rest of the transaction, so its events apply one at a time. */
export async function lockPayment(
  tx: Tx,
  where: { id?: string; checkoutSessionId?: string; paymentIntentId?: string; chargeId?: string },
): Promise<Payment | null> {
  const payment = await tx.payment.findFirst({ where, select: { id: true } });
  if (!payment) return null;
  await tx.$executeRaw`SELECT 1 FROM "Payment" WHERE id = ${payment.id} FOR NO KEY UPDATE`;
  return tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
}

/**
 * A payment's status follows from its facts, so events may apply in any
 * order: once paid it is completed (or refunded, from Stripe's refunded
 * total); before that, the latest of failed / expired / canceled.
 */
export function deriveStatus(
  payment: Pick<Payment, 'completedAt' | 'amount' | 'amountRefunded' | 'status'>,
  unpaid?: PaymentStatus,
): PaymentStatus {
  if (payment.completedAt) {
    if (payment.amountRefunded >= payment.amount) return 'refunded';
    return payment.amountRefunded > 0 ? 'partially_refunded' : 'completed';
  }
  return unpaid ?? payment.status;
}

// Unpaid states only move forward: a failed attempt can still expire or be canceled, never the reverse.
const unpaidRank: Partial<Record<PaymentStatus, number>> = { pending: 0, failed: 1, expired: 2, canceled: 2 };
function laterUnpaid(current: PaymentStatus, incoming: PaymentStatus | undefined): PaymentStatus {
  if (!incoming) return current;
  return (unpaidRank[incoming] ?? 0) > (unpaidRank[current] ?? 0) ? incoming : current;
}

export interface PaymentFacts {
  completedAt?: Date;
  amountRefunded?: number;
  unpaidStatus?: Extract<PaymentStatus, 'failed' | 'expired' | 'canceled' | 'pending'>;
  paymentIntentId?: string | null;
  chargeId?: string | null;
  failureMessage?: string | null;
  lastEventAt?: Date;
}

/** Record what an event says about a payment, then settle its credits. Returns a one-line outcome. */
export async function applyPaymentFacts(tx: Tx, payment: Payment, facts: PaymentFacts): Promise<string> {
  const completedAt = payment.completedAt ?? facts.completedAt ?? null;
  // Stripe's refunded total only grows; a late, older event never lowers it.
  const amountRefunded = Math.max(payment.amountRefunded, facts.amountRefunded ?? 0);
  const status = deriveStatus(
    { completedAt, amount: payment.amount, amountRefunded, status: payment.status },
    laterUnpaid(payment.status, facts.unpaidStatus),
  );
  const updated = await tx.payment.update({
    where: { id: payment.id },
    data: {
      completedAt,
      amountRefunded,
      status,
      ...(facts.paymentIntentId ? { paymentIntentId: facts.paymentIntentId } : {}),
      ...(facts.chargeId ? { chargeId: facts.chargeId } : {}),
      ...(facts.failureMessage !== undefined && !completedAt ? { failureMessage: facts.failureMessage } : {}),
      ...(facts.lastEventAt ? { lastEventAt: facts.lastEventAt } : {}),
    },
  });
  const credits = await settleCredits(tx, updated);
  return `payment ${payment.id} ${status}${credits ? `; ${credits}` : ''}`;
}

/** Credits to take back in total for a refunded amount: in proportion, never more than were granted. */
export function clawbackTarget(credits: number, amount: number, amountRefunded: number): number {
  return Math.round((credits * Math.min(amountRefunded, amount)) / amount);
}

/**
 * Make the ledger agree with the payment: the purchase granted once when paid,
 * refunds clawed back in proportion to Stripe's refunded total, and the
 * referral bonus paid once ever. Every entry is keyed by its source, so this
 * is safe to run again for any event, in any order.
 */
export async function settleCredits(tx: Tx, payment: Payment): Promise<string> {
  if (payment.kind !== 'credits' || payment.credits <= 0 || !payment.completedAt) return '';
  const notes: string[] = [];
  const grant = await postEntry(tx, {
    userId: payment.userId,
    kind: 'purchase',
    amount: payment.credits,
    sourceKey: `purchase:${payment.id}`,
    paymentId: payment.id,
    memo: payment.description ?? `${payment.credits} credits`,
  });
  if (grant.status === 'posted') notes.push(`granted ${payment.credits} credits`);

  if (payment.amountRefunded > 0) {
    const target = clawbackTarget(payment.credits, payment.amount, payment.amountRefunded);
    const clawed = await tx.creditLedger.aggregate({
      where: { paymentId: payment.id, kind: 'refund_clawback' },
      _sum: { amount: true },
    });
    const missing = target + (clawed._sum.amount ?? 0);
    if (missing > 0) {
      await postEntry(tx, {
        userId: payment.userId,
        kind: 'refund_clawback',
        amount: -missing,
        // Keyed by the refunded total it brings the ledger to: replays and reorders post nothing twice.
        sourceKey: `clawback:${payment.id}:${payment.amountRefunded}`,
        paymentId: payment.id,
        memo: `Refund of ${payment.amountRefunded} cents`,
        allowNegative: true,
      });
      notes.push(`clawed back ${missing} credits`);
    }
  }

  if (grant.status === 'posted' && payment.amount >= REFERRAL_MIN_PURCHASE_CENTS) {
    const paid = await payReferralBonus(tx, payment.userId);
    if (paid) notes.push('referral bonus paid');
  }
  return notes.join(', ');
}

async function payReferralBonus(tx: Tx, referredId: string): Promise<boolean> {
  // The conditional update claims the bonus once, ever, even under concurrency.
  const claimed = await tx.referral.updateMany({
    where: { referredId, bonusPaidAt: null },
    data: { bonusPaidAt: new Date() },
  });
  if (claimed.count === 0) return false;
  const referral = await tx.referral.findUniqueOrThrow({ where: { referredId } });
  for (const [userId, role] of [
    [referral.referrerId, 'referrer'],
    [referral.referredId, 'referred'],
  ] as const) {
    await postEntry(tx, {
      userId,
      kind: 'referral_bonus',
      amount: REFERRAL_BONUS_CREDITS,
      sourceKey: `referral:${referral.id}:${role}`,
      memo: 'Referral bonus',
    });
  }
  return true;
}
