import 'server-only';
import type Stripe from 'stripe';
import { audit } from '@/lib/audit';
import { formatMoney } from '@/lib/billing/catalog';
import { applyPaymentFacts, lockPayment } from '@/lib/billing/credits/settle';
import { staffEmails } from '@/lib/billing/credits/review';
import { idOf } from '@/lib/billing/ids';
import type { HandlerContext } from '@/lib/billing/mirror/context';
import { queueEmail } from '@/lib/email/outbox';
import { env } from '@/lib/env';
import { fromUnix, later, lockObject, versionToApply, type Mode } from './guard';

/** Funds are held while a (non-inquiry) dispute is open, and for good when it is lost. */
export function holdsFunds(status: Stripe.Dispute.Status): boolean {
  return status === 'needs_response' || status === 'under_review' || status === 'lost';
}

/**
 * Mirror one dispute under the newer-than guard, then settle its payment's
 * credits: withdrawn funds claw the credits back, reinstated funds (a won
 * dispute) restore them. Staff hear about a new dispute once.
 */
export async function applyDispute(
  ctx: HandlerContext,
  incoming: Stripe.Dispute,
  mode: Mode = 'event',
): Promise<string> {
  await lockObject(ctx.tx, incoming.id);
  const stored = await ctx.tx.dispute.findUnique({
    where: { id: incoming.id },
    select: { lastEventAt: true },
  });
  const dispute = await versionToApply(mode, stored?.lastEventAt, ctx.eventAt, incoming, () =>
    ctx.stripe.disputes.retrieve(incoming.id),
  );
  if (!dispute) return `skipped dispute ${incoming.id}: event older than stored`;
  const chargeId = idOf(dispute.charge)!;
  const intentId = idOf(dispute.payment_intent);
  const payment =
    (await lockPayment(ctx.tx, { chargeId })) ??
    (intentId ? await lockPayment(ctx.tx, { paymentIntentId: intentId }) : null);
  const data = {
    paymentId: payment?.id ?? null,
    chargeId,
    amount: dispute.amount,
    currency: dispute.currency,
    status: dispute.status,
    reason: dispute.reason,
    evidenceDueBy: fromUnix(dispute.evidence_details?.due_by),
    fundsWithdrawn: holdsFunds(dispute.status),
    stripeCreated: new Date(dispute.created * 1000),
    lastEventAt: later(stored?.lastEventAt, ctx.eventAt),
  };
  await ctx.tx.dispute.upsert({
    where: { id: dispute.id },
    create: { id: dispute.id, ...data },
    update: data,
  });
  const notes = [`dispute ${dispute.id} ${dispute.status}`];
  if (!stored) await tellStaff(ctx, dispute, payment?.id ?? null);
  if (payment) notes.push(await applyPaymentFacts(ctx.tx, payment, { lastEventAt: ctx.eventAt }));
  return notes.join('; ');
}

async function tellStaff(ctx: HandlerContext, dispute: Stripe.Dispute, paymentId: string | null) {
  await audit(
    {
      actor: null,
      action: 'dispute.opened',
      dedupeKey: `dispute.opened:${dispute.id}`,
      targetType: 'payment',
      targetId: paymentId ?? idOf(dispute.charge)!,
      amount: dispute.amount,
      currency: dispute.currency,
      stripeIds: [dispute.id, idOf(dispute.charge)!],
      reason: dispute.reason,
    },
    ctx.tx,
  );
  const due = fromUnix(dispute.evidence_details?.due_by);
  for (const staff of await staffEmails(ctx.tx)) {
    await queueEmail(ctx.tx, {
      dedupeKey: `dispute-opened:${dispute.id}:${staff.id}`,
      to: staff.email,
      subject: `New dispute: ${formatMoney(dispute.amount, dispute.currency)} (${dispute.reason})`,
      text:
        `A customer disputed a charge of ${formatMoney(dispute.amount, dispute.currency)} (${dispute.reason}).` +
        (due ? ` Evidence is due by ${due.toUTCString()}.` : '') +
        `\n\nSee ${env().APP_URL}/admin/disputes`,
    });
  }
}
