import 'server-only';
import type { Tx } from '@/lib/db';
import type { Payment } from '@/lib/generated/prisma/client';
import type { LedgerKind, PaymentStatus } from '@/lib/generated/prisma/enums';
import { postEntry } from './ledger';
import { payReferralBonus, REFERRAL_MIN_PURCHASE_CENTS, settleReferralClawback } from './referrals';
import { flagForReview } from './review';

export { REFERRAL_BONUS_CREDITS, REFERRAL_MIN_PURCHASE_CENTS } from './referrals';

/** Lock a payment row for the rest of the transaction, so its events apply one at a time. */
export async function lockPayment(
  tx: Tx,
  where: {
    id?: string;
    checkoutSessionId?: string;
    paymentIntentId?: string;
    chargeId?: string;
    invoiceId?: string;
  },
): Promise<Payment | null> {
  const payment = await tx.payment.findFirst({ where, select: { id: true } });
  if (!payment) return null;
  await tx.$executeRaw`SELECT 1 FROM "Payment" WHERE id = ${payment.id} FOR NO KEY UPDATE`;
  return tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
}

/**
 * A payment's status follows from its facts, so events may apply in any
 * order: one whose collected amount differs is needs_review for good; once
 * paid it is completed (or refunded, from Stripe's refunded total); before
 * that, the latest of failed / expired / canceled.
 */
export function deriveStatus(
  payment: Pick<Payment, 'completedAt' | 'amount' | 'amountRefunded' | 'status'> & {
    reviewReason?: string | null;
  },
  unpaid?: PaymentStatus,
): PaymentStatus {
  if (payment.reviewReason) return 'needs_review';
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
  /** What Stripe reports as collected: a checkout's amount_total or an intent's amount_received. */
  collected?: { amount: number; currency: string };
  /** Stripe's refunded total for the charge, as of `refundedAt` (a newer figure wins, up or down). */
  amountRefunded?: number;
  refundedAt?: Date;
  /** The refunded total was just read from Stripe: it is current, whatever its time. */
  refundedIsCurrent?: boolean;
  unpaidStatus?: Extract<PaymentStatus, 'failed' | 'expired' | 'canceled' | 'pending'>;
  paymentIntentId?: string | null;
  chargeId?: string | null;
  cardFingerprint?: string | null;
  failureMessage?: string | null;
  lastEventAt?: Date;
}

/** Stripe's refunded total follows the newest figure both ways: a failed refund lowers it again. */
function refundedTotal(payment: Payment, facts: PaymentFacts): { amount: number; at: Date | null } {
  const stored = { amount: payment.amountRefunded, at: payment.refundedAt };
  if (facts.amountRefunded === undefined) return stored;
  const at = facts.refundedAt ?? facts.lastEventAt ?? null;
  if (facts.refundedIsCurrent)
    return { amount: facts.amountRefunded, at: stored.at && at && stored.at > at ? stored.at : at };
  if (!stored.at || (at && at > stored.at)) return { amount: facts.amountRefunded, at };
  // Same second (or no time): the larger figure, as before failed refunds existed.
  if (at && at.getTime() === stored.at.getTime())
    return { amount: Math.max(stored.amount, facts.amountRefunded), at };
  return stored;
}

/** Record what an event says about a payment, then settle its credits. Returns a one-line outcome. */
export async function applyPaymentFacts(tx: Tx, payment: Payment, facts: PaymentFacts): Promise<string> {
  const completedAt = payment.completedAt ?? facts.completedAt ?? null;
  const refunded = refundedTotal(payment, facts);
  const collected = facts.completedAt && facts.collected ? facts.collected : null;
  const mismatch =
    payment.kind === 'credits' &&
    collected &&
    (collected.amount !== payment.amount || collected.currency !== payment.currency)
      ? `collected ${collected.amount} ${collected.currency}, expected ${payment.amount} ${payment.currency}`
      : null;
  const reviewReason = payment.reviewReason ?? mismatch;
  const status = deriveStatus(
    {
      completedAt,
      amount: payment.amount,
      amountRefunded: refunded.amount,
      status: payment.status,
      reviewReason,
    },
    laterUnpaid(payment.status, facts.unpaidStatus),
  );
  const updated = await tx.payment.update({
    where: { id: payment.id },
    data: {
      completedAt,
      amountRefunded: refunded.amount,
      refundedAt: refunded.at,
      status,
      reviewReason,
      // The first collected figure stays: a mismatch is never overwritten by a later, matching event.
      ...(collected && payment.amountCollected === null
        ? { amountCollected: collected.amount, collectedCurrency: collected.currency }
        : {}),
      ...(facts.paymentIntentId ? { paymentIntentId: facts.paymentIntentId } : {}),
      ...(facts.chargeId ? { chargeId: facts.chargeId } : {}),
      ...(facts.cardFingerprint ? { cardFingerprint: facts.cardFingerprint } : {}),
      ...(facts.failureMessage !== undefined && !completedAt ? { failureMessage: facts.failureMessage } : {}),
      ...(facts.lastEventAt ? { lastEventAt: facts.lastEventAt } : {}),
    },
  });
  if (reviewReason && !payment.reviewReason && collected) await flagForReview(tx, updated, collected);
  const credits = await settleCredits(tx, updated);
  return `payment ${payment.id} ${status}${credits ? `; ${credits}` : ''}`;
}

/** Credits to take back in total for a refunded amount: in proportion, never more than were granted. */
export function clawbackTarget(credits: number, amount: number, amountRefunded: number): number {
  return Math.round((credits * Math.min(amountRefunded, amount)) / amount);
}

/** Post what brings this payment's entries of one kind to `target` credits taken back (either way). */
async function clawTo(tx: Tx, payment: Payment, kind: LedgerKind, target: number, memo: string) {
  const entries = await tx.creditLedger.findMany({
    where: { paymentId: payment.id, kind },
    select: { amount: true },
  });
  const taken = -entries.reduce((sum, e) => sum + e.amount, 0);
  if (taken === target) return null;
  await postEntry(tx, {
    workspaceId: payment.workspaceId,
    kind,
    amount: taken - target,
    // Under the payment's row lock the count is stable: replays and reorders post nothing twice.
    sourceKey: `${kind}:${payment.id}:${entries.length}`,
    paymentId: payment.id,
    memo: target > taken ? memo : `${memo} (reversed)`,
    allowNegative: true,
  });
  return target > taken ? `${kind} ${target - taken} credits` : `restored ${taken - target} credits`;
}

/**
 * Make the ledger agree with the payment: the purchase granted once, and only
 * when Stripe collected exactly what it expects; refunds and disputes that
 * hold the funds clawed back in proportion (and given back when a refund
 * fails or a dispute is won); the referral bonus paid once ever and taken
 * back with the money. Safe to run again for any event, in any order.
 */
export async function settleCredits(tx: Tx, payment: Payment): Promise<string> {
  if (payment.kind === 'subscription') return settleAllocation(tx, payment);
  if (payment.kind !== 'credits' || payment.credits <= 0 || !payment.completedAt) return '';
  if (
    payment.reviewReason ||
    payment.amountCollected !== payment.amount ||
    payment.collectedCurrency !== payment.currency
  )
    return '';
  const notes: string[] = [];
  const grant = await postEntry(tx, {
    workspaceId: payment.workspaceId,
    kind: 'purchase',
    amount: payment.credits,
    sourceKey: `purchase:${payment.id}`,
    paymentId: payment.id,
    memo: payment.description ?? `${payment.credits} credits`,
  });
  if (grant.status === 'posted') notes.push(`granted ${payment.credits} credits`);

  const { refunded, held, notes: clawed } = await clawBack(tx, payment, payment.credits);
  notes.push(...clawed);

  if (grant.status === 'posted' && payment.amount >= REFERRAL_MIN_PURCHASE_CENTS) {
    const paid = await payReferralBonus(tx, payment);
    if (paid) notes.push(paid);
  }
  const back = await settleReferralClawback(tx, payment, payment.amount - refunded - held);
  if (back) notes.push(back);
  return notes.join(', ');
}

/** Take back `credits` in proportion to what Stripe refunded and what open disputes withdrew (either way). */
async function clawBack(tx: Tx, payment: Payment, credits: number) {
  const refunded = Math.min(payment.amountRefunded, payment.amount);
  const withdrawn = await tx.dispute.aggregate({
    where: { paymentId: payment.id, fundsWithdrawn: true },
    _sum: { amount: true },
  });
  const held = Math.min(withdrawn._sum.amount ?? 0, payment.amount - refunded);
  const share = (cents: number) => clawbackTarget(credits, payment.amount, cents);
  const notes: string[] = [];
  for (const note of [
    await clawTo(tx, payment, 'refund_clawback', share(refunded), `Refund of ${refunded} cents`),
    await clawTo(
      tx,
      payment,
      'dispute_clawback',
      share(refunded + held) - share(refunded),
      'Disputed payment',
    ),
  ])
    if (note) notes.push(note);
  return { refunded, held, notes };
}

/** A subscription invoice's plan allocation follows its money like a purchase does. */
async function settleAllocation(tx: Tx, payment: Payment): Promise<string> {
  if (!payment.invoiceId || !payment.completedAt || payment.amount <= 0) return '';
  const allocation = await tx.creditLedger.findUnique({
    where: { sourceKey: `allocation:${payment.invoiceId}` },
    select: { amount: true },
  });
  if (!allocation) return '';
  return (await clawBack(tx, payment, allocation.amount)).notes.join(', ');
}
