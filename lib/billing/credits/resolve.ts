import 'server-only';
import { z } from 'zod';
import { audit } from '@/lib/audit';
import type { CurrentUser } from '@/lib/auth/session';
import { formatMoney } from '@/lib/billing/catalog';
import { BillingError } from '@/lib/billing/errors';
import { callStripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import type { Payment } from '@/lib/generated/prisma/client';
import { formatCount } from '@/lib/format';
import { lockPayment, settleCredits } from './settle';

export const RESOLVE_ROLES = ['admin', 'finance'] as const;

export const resolveReviewSchema = z.object({
  paymentId: z.string().min(1),
  resolution: z.enum(['grant', 'refund'], { error: 'Choose how to resolve it.' }),
  reason: z
    .string()
    .trim()
    .min(3, 'Say why (at least 3 characters).')
    .max(500, 'Use at most 500 characters.'),
  // The form's one-time token: the deciding form submitted again (a double click) answers as it did.
  token: z.string().max(100).optional(),
});

export type ResolveReviewInput = z.infer<typeof resolveReviewSchema>;

export interface ResolveResult {
  /** False when the payment had already been resolved (by this or another request): nothing changed. */
  changed: boolean;
  resolution: 'grant' | 'refund';
  message: string;
}

/** Credits for what Stripe collected, in the payment's own proportion (1 credit a cent for custom amounts). */
export function creditsForCollected(payment: { credits: number; amount: number }, collected: number): number {
  return payment.amount > 0 ? Math.floor((payment.credits * collected) / payment.amount) : 0;
}

/**
 * A staff decision on a payment whose collected amount differed from what it
 * expected (`needs_review`). Either the purchase becomes what Stripe actually
 * collected (credits for that amount, granted through the usual settlement, so
 * later refunds and disputes claw them back), or the collected money is
 * refunded in full and no credits are ever granted. Once per payment: the
 * first decision wins, later ones change nothing; one audit row records it.
 */
export async function resolveReview(actor: CurrentUser, input: ResolveReviewInput): Promise<ResolveResult> {
  if (!RESOLVE_ROLES.includes(actor.role as (typeof RESOLVE_ROLES)[number]))
    throw new BillingError(404, 'Not found');
  const payment = await db.payment.findUnique({ where: { id: input.paymentId } });
  if (!payment) throw new BillingError(404, 'Not found');
  if (payment.status !== 'needs_review') return alreadyResolved(payment, input);
  const collected = payment.amountCollected;
  const currency = payment.collectedCurrency;
  if (collected === null || !currency) throw new BillingError(400, 'Stripe has not collected anything yet.');
  if (input.resolution === 'grant' && currency !== payment.currency)
    throw new BillingError(
      400,
      `Stripe collected ${currency.toUpperCase()}, not ${payment.currency.toUpperCase()}: refund it instead.`,
    );

  // The decision is taken under the payment's lock before any money moves: two staff
  // members deciding at once cannot both grant credits and refund.
  const decided = await db.$transaction(async (tx) => {
    const locked = await lockPayment(tx, { id: payment.id });
    if (!locked || locked.status !== 'needs_review') return null;
    const credits = input.resolution === 'grant' ? creditsForCollected(locked, collected) : 0;
    // The purchase is now what Stripe collected: the usual settlement grants (or not) and claws back.
    const updated = await tx.payment.update({
      where: { id: locked.id },
      data: {
        amount: collected,
        currency,
        credits,
        reviewReason: null,
        status: locked.amountRefunded >= collected ? 'refunded' : 'completed',
      },
    });
    await audit(
      {
        actor,
        action: 'payment.review_resolved',
        dedupeKey: `payment.review_resolved:${locked.id}`,
        targetType: 'payment',
        targetId: locked.id,
        amount: collected,
        currency,
        stripeIds: [locked.chargeId, locked.paymentIntentId].filter((id): id is string => !!id),
        reason: input.reason,
        details: {
          resolution: input.resolution,
          expectedAmount: locked.amount,
          expectedCurrency: locked.currency,
          expectedCredits: locked.credits,
          credits,
          ...(input.token ? { token: input.token } : {}),
        },
      },
      tx,
    );
    await settleCredits(tx, updated);
    return true;
  });
  if (!decided) return alreadyResolved(payment, input);
  if (input.resolution === 'grant') {
    const credits = creditsForCollected(payment, collected);
    return { changed: true, resolution: 'grant', message: grantMessage(credits, collected, currency) };
  }
  const refund = await refundCollected(payment);
  return { changed: true, resolution: 'refund', message: refundMessage(refund) };
}

const grantMessage = (credits: number, collected: number, currency: string) =>
  `Resolved: ${formatCount(credits)} credits granted for the ${formatMoney(collected, currency)} Stripe collected.`;
const refundMessage = (refund: { id: string; amount: number; currency: string }) =>
  `Resolved: refund ${refund.id} of ${formatMoney(refund.amount, refund.currency)} requested; no credits granted.`;

/** Refund everything Stripe collected for the payment; its idempotency key makes a repeat the same refund. */
function refundCollected(payment: Payment) {
  return callStripe((s) =>
    s.refunds.create(
      {
        ...(payment.chargeId ? { charge: payment.chargeId } : { payment_intent: payment.paymentIntentId! }),
        amount: payment.amountCollected!,
        metadata: { payment_id: payment.id, note: 'needs_review resolved: refunded' },
      },
      { idempotencyKey: `review-refund-${payment.id}` },
    ),
  );
}

async function alreadyResolved(payment: Payment, input: ResolveReviewInput): Promise<ResolveResult> {
  const entry = await db.auditLog.findUnique({
    where: { dedupeKey: `payment.review_resolved:${payment.id}` },
    select: { actorEmail: true, details: true },
  });
  if (!entry) throw new BillingError(400, 'This payment does not need review.');
  const details = (entry.details ?? {}) as { resolution?: string; token?: string; credits?: number };
  const resolution = details.resolution === 'refund' ? 'refund' : 'grant';
  // A retried refund decision makes sure its refund exists (the same one, by idempotency key).
  const refund =
    resolution === 'refund' && input.resolution === 'refund' ? await refundCollected(payment) : null;
  // The deciding form submitted again (double click, resubmission): the answer it got.
  if (input.token && details.token === input.token && resolution === input.resolution)
    return {
      changed: false,
      resolution,
      message: refund
        ? refundMessage(refund)
        : grantMessage(
            details.credits ?? 0,
            payment.amountCollected ?? 0,
            payment.collectedCurrency ?? 'usd',
          ),
    };
  return {
    changed: false,
    resolution,
    message: `Already resolved by ${entry.actorEmail} (${resolution === 'grant' ? 'credits granted' : 'refunded'}); nothing changed.`,
  };
}

/** How a payment's review was resolved, for its admin page (null while it awaits review, or never needed one). */
export async function reviewResolution(paymentId: string) {
  const entry = await db.auditLog.findUnique({
    where: { dedupeKey: `payment.review_resolved:${paymentId}` },
    select: { actorEmail: true, details: true, createdAt: true, amount: true, currency: true },
  });
  if (!entry) return null;
  const details = (entry.details ?? {}) as { resolution?: string; credits?: number };
  const collected = formatMoney(entry.amount ?? 0, entry.currency ?? 'usd');
  return {
    at: entry.createdAt,
    by: entry.actorEmail,
    outcome:
      details.resolution === 'refund'
        ? `refunded the ${collected} Stripe collected; no credits granted`
        : `${formatCount(details.credits ?? 0)} credits granted for the ${collected} Stripe collected`,
  };
}
