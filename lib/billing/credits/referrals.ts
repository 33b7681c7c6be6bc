import 'server-only';
import type { Tx } from '@/lib/billing/webhooks/types';
import { env } from '@/lib/env';
import type { Payment } from '@/lib/generated/prisma/client';
import { postEntry } from './ledger';

export const REFERRAL_BONUS_CREDITS = 1_000;
export const REFERRAL_MIN_PURCHASE_CENTS = 1_000;
const MONTH_MS = 30 * 86_400_000;

/** Why this referral earns no bonus now, or null when it does. */
async function refusal(
  tx: Tx,
  referral: { referrerId: string; referredId: string },
  payment: Payment,
): Promise<string | null> {
  if (referral.referrerId === referral.referredId) return 'self-referral (same user)';
  const users = await tx.user.findMany({
    where: { id: { in: [referral.referrerId, referral.referredId] } },
    select: { id: true, emailVerified: true },
  });
  if (users.length < 2 || users.some((u) => !u.emailVerified)) return 'email not verified on both sides';
  if (payment.cardFingerprint) {
    const sameCard = await tx.payment.findFirst({
      where: { buyerId: referral.referrerId, cardFingerprint: payment.cardFingerprint },
      select: { id: true },
    });
    if (sameCard) return 'self-referral (same card)';
  }
  // Serialise the cap check per referrer: two referred purchases at once cannot both take the last slot.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`referral-cap:${referral.referrerId}`}, 0))`;
  const recent = await tx.referral.count({
    where: { referrerId: referral.referrerId, bonusPaidAt: { gte: new Date(Date.now() - MONTH_MS) } },
  });
  if (recent >= env().REFERRAL_CAP_PER_MONTH)
    return `referrer reached the cap of ${env().REFERRAL_CAP_PER_MONTH} a month`;
  return null;
}

/** The workspace a user's referral bonus lands in: their personal one. */
async function personalWorkspaceId(tx: Tx, userId: string): Promise<string> {
  return (await tx.workspace.findUniqueOrThrow({ where: { personalOfId: userId }, select: { id: true } })).id;
}

/**
 * Pay both referral bonuses for the referred user's first qualifying purchase (one they bought,
 * in any workspace), once ever. Each bonus lands in that user's personal workspace.
 */
export async function payReferralBonus(tx: Tx, payment: Payment): Promise<string | null> {
  if (!payment.buyerId) return null;
  const referral = await tx.referral.findUnique({ where: { referredId: payment.buyerId } });
  if (!referral || referral.bonusPaidAt) return null;
  const refused = await refusal(tx, referral, payment);
  if (refused) {
    await tx.referral.update({ where: { id: referral.id }, data: { refusedReason: refused } });
    return `referral bonus refused: ${refused}`;
  }
  // The conditional update claims the bonus once, ever, even under concurrency.
  const claimed = await tx.referral.updateMany({
    where: { id: referral.id, bonusPaidAt: null },
    data: { bonusPaidAt: new Date(), paymentId: payment.id, refusedReason: null },
  });
  if (claimed.count === 0) return null;
  for (const [userId, role] of [
    [referral.referrerId, 'referrer'],
    [referral.referredId, 'referred'],
  ] as const) {
    await postEntry(tx, {
      workspaceId: await personalWorkspaceId(tx, userId),
      kind: 'referral_bonus',
      amount: REFERRAL_BONUS_CREDITS,
      sourceKey: `referral:${referral.id}:${role}`,
      memo: 'Referral bonus',
    });
  }
  return 'referral bonus paid';
}

/**
 * The bonuses follow the qualifying purchase's money: when refunds or a
 * dispute take what Stripe kept below the threshold, both bonuses are clawed
 * back; when it recovers (a failed refund, a won dispute), they are restored.
 */
export async function settleReferralClawback(tx: Tx, payment: Payment, kept: number): Promise<string | null> {
  const referral = await tx.referral.findFirst({
    where: { paymentId: payment.id, bonusPaidAt: { not: null } },
  });
  if (!referral) return null;
  const target = kept >= REFERRAL_MIN_PURCHASE_CENTS ? 0 : -REFERRAL_BONUS_CREDITS;
  const notes: string[] = [];
  for (const [userId, role] of [
    [referral.referrerId, 'referrer'],
    [referral.referredId, 'referred'],
  ] as const) {
    const prefix = `referral-clawback:${referral.id}:${role}:`;
    const entries = await tx.creditLedger.findMany({
      where: { sourceKey: { startsWith: prefix } },
      select: { amount: true },
    });
    const current = entries.reduce((sum, e) => sum + e.amount, 0);
    if (current === target) continue;
    await postEntry(tx, {
      workspaceId: await personalWorkspaceId(tx, userId),
      kind: 'referral_clawback',
      amount: target - current,
      sourceKey: `${prefix}${entries.length}`,
      memo:
        target < current
          ? 'Referral bonus taken back (purchase refunded or disputed)'
          : 'Referral bonus restored',
      allowNegative: true,
    });
    notes.push(`${role} bonus ${target < current ? 'clawed back' : 'restored'}`);
  }
  return notes.length ? notes.join(', ') : null;
}
