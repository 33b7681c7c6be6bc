import { describe, expect, it } from 'vitest';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { createUser, eventsSince, nowSeconds, shuffle, actorOf } from '@/lib/testing/fixtures';
import { deliver, signedRequest } from '@/lib/testing/webhooks';
import { startCreditPaymentIntent } from './purchase';

/** The balance of a user's personal workspace (where their purchases and referral bonuses land). */
const balanceOf = async (userId: string) =>
  (await db.workspace.findUniqueOrThrow({ where: { personalOfId: userId }, select: { creditBalance: true } }))
    .creditBalance;

/** Deliver every emulator event since `since` that mentions `needle`, each twice, shuffled. */
async function deliverAbout(since: number, needle: string, order: 'shuffled' | 'in order' = 'shuffled') {
  const events = await eventsSince(since, (e) => JSON.stringify(e.data.object).includes(needle));
  const list = order === 'shuffled' ? shuffle([...events, ...events]) : events;
  for (const event of list) expect((await deliver(signedRequest(JSON.stringify(event)))).status).toBe(200);
  await expectApplied(events);
  return events;
}

/** Every delivered event was applied (a handler failure would otherwise surface only as a wrong balance). */
async function expectApplied(events: { id: string }[]) {
  const rows = await db.webhookEvent.findMany({
    where: { id: { in: events.map((e) => e.id) } },
    select: { type: true, status: true, error: true },
  });
  expect(rows.filter((r) => r.status !== 'processed' && r.status !== 'ignored')).toEqual([]);
}

async function paidIntent(userId: string, amount: number, card: string) {
  const found = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, personalWorkspace: { select: { id: true } } },
  });
  const user = { ...found, workspaceId: found.personalWorkspace!.id };
  const since = nowSeconds() - 1;
  const { payment } = await startCreditPaymentIntent(actorOf(user), { amount, currency: 'usd' });
  await stripe().paymentIntents.confirm(payment.paymentIntentId!, { payment_method: card });
  await deliverAbout(since, payment.id, 'in order');
  return db.payment.findUniqueOrThrow({ where: { id: payment.id } });
}

const verified = async () => {
  const user = await createUser();
  await db.user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
  return user;
};

describe('clawbacks follow the money', () => {
  it('a refund that fails asynchronously (pm_card_refundFail) gives the credits back', async () => {
    const user = await createUser();
    const payment = await paidIntent(user.id, 2000, 'pm_card_refundFail');
    expect(await balanceOf(user.id)).toBe(2000);
    const since = nowSeconds() - 1;
    const refund = await stripe().refunds.create({ payment_intent: payment.paymentIntentId!, amount: 500 });
    expect(refund.status).toBe('succeeded');
    await new Promise((r) => setTimeout(r, 1_500));
    const events = await deliverAbout(since, payment.chargeId!, 'in order');
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['charge.refunded', 'refund.failed']));
    const after = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(after).toMatchObject({ amountRefunded: 0, status: 'completed' });
    expect(await balanceOf(user.id)).toBe(2000);
    expect((await db.refund.findUniqueOrThrow({ where: { id: refund.id } })).status).toBe('failed');
    // Replaying the older charge.refunded after the failure changes nothing.
    for (const event of events.filter((e) => e.type === 'charge.refunded'))
      await deliver(signedRequest(JSON.stringify(event)));
    expect(await balanceOf(user.id)).toBe(2000);
  });

  it('a dispute (pm_card_createDispute) claws the credits back, a won one restores them; staff are told once', async () => {
    const admin = await createUser({ role: 'admin' });
    const user = await createUser();
    const since = nowSeconds() - 1;
    const payment = await paidIntent(user.id, 1500, 'pm_card_createDispute');
    await deliverAbout(since, payment.chargeId!);
    const dispute = await db.dispute.findFirstOrThrow({ where: { paymentId: payment.id } });
    expect(dispute).toMatchObject({ status: 'needs_response', fundsWithdrawn: true, amount: 1500 });
    expect(dispute.evidenceDueBy).not.toBeNull();
    expect(await balanceOf(user.id)).toBe(0);
    expect(
      await db.email.count({ where: { to: admin.email, dedupeKey: { startsWith: 'dispute-opened:' } } }),
    ).toBe(1);

    const closing = nowSeconds();
    await stripe().disputes.update(dispute.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    await deliverAbout(closing - 1, dispute.id);
    expect(await db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).toMatchObject({
      status: 'won',
      fundsWithdrawn: false,
    });
    expect(await balanceOf(user.id)).toBe(1500);
  });

  it('a lost dispute of the referral-qualifying purchase claws back the credits and both bonuses', async () => {
    const referrer = await verified();
    const referred = await verified();
    await db.referral.create({ data: { referrerId: referrer.id, referredId: referred.id } });
    const since = nowSeconds() - 1;
    const payment = await paidIntent(referred.id, 1000, 'pm_card_createDispute');
    const dispute = (await stripe().disputes.list({ payment_intent: payment.paymentIntentId!, limit: 1 }))
      .data[0]!;
    await stripe().disputes.update(dispute.id, { evidence: { uncategorized_text: 'losing_evidence' } });
    await deliverAbout(since, payment.chargeId!);
    await deliverAbout(since, dispute.id);
    expect((await db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).status).toBe('lost');
    expect(await balanceOf(referred.id)).toBe(0);
    expect(await balanceOf(referrer.id)).toBe(0);
  });

  it('a refunded referral-qualifying purchase claws back both bonuses', async () => {
    const referrer = await verified();
    const referred = await verified();
    await db.referral.create({ data: { referrerId: referrer.id, referredId: referred.id } });
    const payment = await paidIntent(referred.id, 1000, 'pm_card_visa');
    expect(await balanceOf(referrer.id)).toBe(1000);
    expect(await balanceOf(referred.id)).toBe(2000);
    const since = nowSeconds() - 1;
    await stripe().refunds.create({ payment_intent: payment.paymentIntentId!, amount: 300 });
    await deliverAbout(since, payment.chargeId!);
    expect(await balanceOf(referrer.id)).toBe(0);
    expect(await balanceOf(referred.id)).toBe(700);
  });
});

describe('referral rules', () => {
  it('pays no bonus while either email is unverified, nor for the same card on both sides', async () => {
    const referrer = await createUser({ verified: false });
    const referred = await verified();
    await db.referral.create({ data: { referrerId: referrer.id, referredId: referred.id } });
    await paidIntent(referred.id, 1000, 'pm_card_visa');
    expect(await balanceOf(referrer.id)).toBe(0);
    expect(
      (await db.referral.findUniqueOrThrow({ where: { referredId: referred.id } })).refusedReason,
    ).toMatch(/not verified/);

    await db.user.update({ where: { id: referrer.id }, data: { emailVerified: new Date() } });
    await paidIntent(referrer.id, 1000, 'pm_card_mastercard');
    await paidIntent(referred.id, 1000, 'pm_card_mastercard');
    expect(await balanceOf(referrer.id)).toBe(1000);
    expect((await db.referral.findUniqueOrThrow({ where: { referredId: referred.id } })).refusedReason).toBe(
      'self-referral (same card)',
    );
  });

  it('caps the bonuses one referrer earns in a month (REFERRAL_CAP_PER_MONTH, default 10)', async () => {
    const referrer = await verified();
    const others = await Promise.all(Array.from({ length: 10 }, () => verified()));
    for (const other of others)
      await db.referral.create({
        data: { referrerId: referrer.id, referredId: other.id, bonusPaidAt: new Date() },
      });
    const eleventh = await verified();
    await db.referral.create({ data: { referrerId: referrer.id, referredId: eleventh.id } });
    await paidIntent(eleventh.id, 1000, 'pm_card_visa');
    expect(await balanceOf(eleventh.id)).toBe(1000);
    expect(
      (await db.referral.findUniqueOrThrow({ where: { referredId: eleventh.id } })).refusedReason,
    ).toMatch(/cap of 10/);
  });
});
