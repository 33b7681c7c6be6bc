// Issue #11 "Found" items 3, 4, 5, 7 and 9, each reproduced through the REST API as a
// client and staff would: purchases by API key, refunds by a staff session on
// POST /api/stripe/refund, Stripe's events through POST /api/stripe/webhook, and
// what the user then sees on GET /api/credits/balance and /api/stripe/payments/:id.
// (Items 1 and 2: lib/api/idempotency.int.test.ts; 6 and 8: subscription-found.int.test.ts.)
import { describe, expect, it, vi } from 'vitest';
import { POST as createPaymentIntent } from '@/app/api/stripe/payment-intent/route';
import { POST as refundRoute } from '@/app/api/stripe/refund/route';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { apiRequest, apiUser, balanceVia, deliverViaRoute, eventsAbout, paymentVia } from '@/lib/testing/api';
import { createUser, nowSeconds } from '@/lib/testing/fixtures';

// The staff session: next-auth's auth() answers for whoever signed in; the rest
// (the user re-read from the database, roles, same-origin checks) is the real code.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock('@/lib/auth/config', () => ({
  auth: async () => (session.userId ? { user: { id: session.userId }, sessionVersion: 0 } : null),
}));

/** Buy credits through POST /api/stripe/payment-intent, pay with `card` as Stripe.js would, deliver. */
async function buyViaApi(key: string, amount: number, card: string) {
  const since = nowSeconds() - 1;
  const created = await createPaymentIntent(
    apiRequest('/api/stripe/payment-intent', { key, body: { amount, currency: 'usd' } }),
  );
  expect(created.status).toBe(201);
  const body = (await created.json()) as { payment_id: string; payment_intent_id: string };
  const intent = await stripe().paymentIntents.confirm(body.payment_intent_id, { payment_method: card });
  const chargeId = String(intent.latest_charge);
  await deliverViaRoute(await eventsAbout(since, body.payment_id));
  return { paymentId: body.payment_id, intentId: body.payment_intent_id, chargeId };
}

async function refundViaApi(
  staffId: string,
  paymentId: string,
  amount: number,
  token: string,
): Promise<Response> {
  session.userId = staffId;
  try {
    return await refundRoute(
      apiRequest('/api/stripe/refund', {
        session: true,
        headers: { 'idempotency-key': token },
        body: { paymentId, amount, reason: 'Customer asked' },
      }),
    );
  } finally {
    session.userId = null;
  }
}

describe('Found 3: chargebacks keep the credits', () => {
  it('a dispute takes the credits back when funds are withdrawn, and a won dispute restores them', async () => {
    const { key } = await apiUser();
    const since = nowSeconds() - 1;
    const { paymentId, chargeId } = await buyViaApi(key, 1500, 'pm_card_createDispute');
    await deliverViaRoute(await eventsAbout(since, chargeId));
    expect(await balanceVia(key)).toBe(0);

    const dispute = (await stripe().disputes.list({ charge: chargeId, limit: 1 })).data[0]!;
    const closing = nowSeconds() - 1;
    await stripe().disputes.update(dispute.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    await deliverViaRoute(await eventsAbout(closing, dispute.id));
    expect(await balanceVia(key)).toBe(1500);
    expect((await paymentVia(key, paymentId)).status).toBe('completed');
  });
});

describe('Found 4: bonuses survive refunds; referral farming', () => {
  it('a refund of the referral-qualifying purchase (POST /api/stripe/refund) takes back both bonuses', async () => {
    const referrer = await apiUser();
    const referred = await apiUser();
    await db.referral.create({ data: { referrerId: referrer.user.id, referredId: referred.user.id } });
    const { paymentId, chargeId } = await buyViaApi(referred.key, 1000, 'pm_card_visa');
    expect(await balanceVia(referrer.key)).toBe(1000);
    expect(await balanceVia(referred.key)).toBe(2000);

    const admin = await createUser({ role: 'admin' });
    const since = nowSeconds() - 1;
    expect((await refundViaApi(admin.id, paymentId, 300, `found4-${paymentId}`)).status).toBe(201);
    await deliverViaRoute(await eventsAbout(since, chargeId));
    expect(await balanceVia(referrer.key)).toBe(0);
    expect(await balanceVia(referred.key)).toBe(700);
  });

  it('pays no bonus to an unverified referrer, and stops at the monthly cap', async () => {
    const unverified = await apiUser({ verified: false });
    const first = await apiUser();
    await db.referral.create({ data: { referrerId: unverified.user.id, referredId: first.user.id } });
    await buyViaApi(first.key, 1000, 'pm_card_visa');
    expect(await balanceVia(unverified.key)).toBe(0);
    expect(await balanceVia(first.key)).toBe(1000);

    const farmer = await apiUser();
    const accounts = await Promise.all(Array.from({ length: 11 }, () => apiUser()));
    for (const account of accounts)
      await db.referral.create({ data: { referrerId: farmer.user.id, referredId: account.user.id } });
    for (const account of accounts) await buyViaApi(account.key, 1000, 'pm_card_visa');
    expect(await balanceVia(farmer.key)).toBe(10 * 1000);
    expect(await balanceVia(accounts[10]!.key)).toBe(1000);
  }, 180_000);
  it('refuses a self-referral: the referred account pays with the referrer’s own card', async () => {
    const referrer = await apiUser();
    const referred = await apiUser();
    await db.referral.create({ data: { referrerId: referrer.user.id, referredId: referred.user.id } });
    await buyViaApi(referrer.key, 1000, 'pm_card_mastercard');
    await buyViaApi(referred.key, 1000, 'pm_card_mastercard');
    expect(await balanceVia(referrer.key)).toBe(1000);
    expect(await balanceVia(referred.key)).toBe(1000);
    expect(
      (await db.referral.findUniqueOrThrow({ where: { referredId: referred.user.id } })).refusedReason,
    ).toBe('self-referral (same card)');
  });
});

describe('Found 5: amountRefunded only grows', () => {
  it('a refund that later fails (pm_card_refundFail) restores the refunded total and the credits', async () => {
    const { key } = await apiUser();
    const { paymentId, chargeId } = await buyViaApi(key, 2000, 'pm_card_refundFail');
    const admin = await createUser({ role: 'finance' });
    const since = nowSeconds() - 1;
    expect((await refundViaApi(admin.id, paymentId, 500, `found5-${paymentId}`)).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the emulator fails it after ~1.1 s
    const events = await eventsAbout(since, chargeId);
    expect(events.map((e) => e.type)).toContain('refund.failed');
    await deliverViaRoute(events);
    expect(await paymentVia(key, paymentId)).toMatchObject({ amountRefunded: 0, status: 'completed' });
    expect(await balanceVia(key)).toBe(2000);
  });
});

describe('Found 7: two audit entries for one refund', () => {
  it('three identical concurrent refund requests make one refund and one refund.requested row', async () => {
    for (let run = 0; run < 3; run += 1) {
      const { key } = await apiUser();
      const { paymentId } = await buyViaApi(key, 1000, 'pm_card_visa');
      const admin = await createUser({ role: 'admin' });
      const token = `found7-${run}-${paymentId}`;
      const responses = await Promise.all(
        [1, 2, 3].map(() => refundViaApiConcurrent(admin.id, paymentId, 400, token)),
      );
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
      const ids = await Promise.all(
        responses.map(async (r) => ((await r.json()) as { refund_id: string }).refund_id),
      );
      expect(new Set(ids).size).toBe(1);
      expect(await db.auditLog.count({ where: { action: 'refund.requested', targetId: paymentId } })).toBe(1);
    }
  });
});

/** Concurrent calls share one signed-in staff session for their whole duration. */
function refundViaApiConcurrent(staffId: string, paymentId: string, amount: number, token: string) {
  session.userId = staffId;
  return refundRoute(
    apiRequest('/api/stripe/refund', {
      session: true,
      headers: { 'idempotency-key': token },
      body: { paymentId, amount, reason: 'Customer asked' },
    }),
  );
}

describe('Found 9: the refund form stays pre-filled', () => {
  it('the old form token with another amount is refused (400), never the first refund reported as success', async () => {
    const { key } = await apiUser();
    const { paymentId } = await buyViaApi(key, 1000, 'pm_card_visa');
    const admin = await createUser({ role: 'admin' });
    const token = `found9-${paymentId}`;
    const first = await refundViaApi(admin.id, paymentId, 400, token);
    expect(first.status).toBe(201);
    const again = await refundViaApi(admin.id, paymentId, 100, token);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toContain(`'${token}'`);
    const second = await refundViaApi(admin.id, paymentId, 100, `${token}-2`);
    expect(second.status).toBe(201);
    expect(await db.refund.count({ where: { paymentId } })).toBe(2);
  });
});
