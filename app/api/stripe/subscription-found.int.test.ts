// Issue #11 "Found" items 4 (subscription allocation), 6 and 8, reproduced through the
// routes a signed-in user and staff use: POST /api/stripe/checkout, POST /api/stripe/refund
// and POST /api/stripe/webhook; what the user sees comes from GET /api/credits/balance.
import { describe, expect, it, vi } from 'vitest';
import { POST as checkoutRoute } from '@/app/api/stripe/checkout/route';
import { POST as refundRoute } from '@/app/api/stripe/refund/route';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { apiRequest, apiUser, balanceVia, deliverViaRoute, eventsAbout } from '@/lib/testing/api';
import {
  createUser,
  eventsOfCustomer,
  nowSeconds,
  payCheckout,
  starterRenewingWith,
} from '@/lib/testing/fixtures';

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock('@/lib/auth/config', () => ({
  auth: async () => (session.userId ? { user: { id: session.userId }, sessionVersion: 0 } : null),
}));

async function as<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  session.userId = userId;
  try {
    return await fn();
  } finally {
    session.userId = null;
  }
}

/** POST /api/stripe/checkout {lookupKey} as the signed-in user: the hosted checkout's session id. */
async function checkoutVia(userId: string, lookupKey: string): Promise<string> {
  const response = await as(userId, () =>
    checkoutRoute(apiRequest('/api/stripe/checkout', { session: true, body: { lookupKey } })),
  );
  expect(response.status).toBe(200);
  const { url } = (await response.json()) as { url: string };
  return /cs_test_[A-Za-z0-9]+/.exec(url)![0];
}

/** Subscribe through the checkout route and pay; every event about the customer is delivered. */
async function subscribeVia(userId: string, lookupKey: string, card = '4242424242424242') {
  const since = nowSeconds() - 1;
  const sessionId = await checkoutVia(userId, lookupKey);
  expect((await payCheckout(sessionId, card)).status).toBe('complete');
  // The user's personal workspace: the checkout acted for it (no other workspace was named).
  const customerId = (await db.customer.findFirstOrThrow({ where: { workspace: { personalOfId: userId } } }))
    .id;
  await deliverViaRoute(await eventsAbout(since, customerId));
  const subscription = await db.subscription.findFirstOrThrow({
    where: { workspace: { personalOfId: userId } },
    orderBy: { createdAt: 'desc' },
  });
  return { sessionId, customerId, subscription };
}

async function refundVia(staffId: string, paymentId: string, amount: number, token: string) {
  const response = await as(staffId, () =>
    refundRoute(
      apiRequest('/api/stripe/refund', {
        session: true,
        headers: { 'idempotency-key': token },
        body: { paymentId, amount, reason: 'Refund of a subscription invoice' },
      }),
    ),
  );
  expect(response.status).toBe(201);
}

describe('Found 4: a refunded subscription invoice keeps its plan allocation', () => {
  it('partial refunds claw the allocation back in proportion, a full refund all of it', async () => {
    const { user, key } = await apiUser();
    const { customerId } = await subscribeVia(user.id, 'starter_monthly');
    expect(await balanceVia(key)).toBe(500);
    const payment = await db.payment.findFirstOrThrow({
      where: { workspaceId: user.workspaceId, kind: 'subscription' },
    });
    expect(payment.amount).toBe(900);
    const staff = await createUser({ role: 'finance' });

    let since = nowSeconds() - 1;
    await refundVia(staff.id, payment.id, 225, `alloc-a-${payment.id}`); // a quarter of $9.00
    await deliverViaRoute(await eventsAbout(since, customerId));
    expect(await balanceVia(key)).toBe(375);

    since = nowSeconds() - 1;
    await refundVia(staff.id, payment.id, 675, `alloc-b-${payment.id}`); // the rest
    await deliverViaRoute(await eventsAbout(since, customerId));
    expect(await balanceVia(key)).toBe(0);
    expect((await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('refunded');
  });

  it('a refund that fails (card 5126) gives the clawed-back allocation back', async () => {
    const { user, key } = await apiUser();
    const { customerId } = await subscribeVia(user.id, 'starter_monthly', '4000000000005126');
    const payment = await db.payment.findFirstOrThrow({
      where: { workspaceId: user.workspaceId, kind: 'subscription' },
    });
    const staff = await createUser({ role: 'admin' });
    const since = nowSeconds() - 1;
    await refundVia(staff.id, payment.id, 450, `alloc-fail-${payment.id}`);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the emulator fails it after ~1.1 s
    const events = await eventsAbout(since, customerId);
    expect(events.map((e) => e.type)).toContain('refund.failed');
    // charge.refunded (the refund as it was) first; every later event re-reads the failed refund.
    const failed = events.findIndex((e) => e.type === 'charge.refunded') + 1;
    expect(failed).toBeGreaterThan(0);
    await deliverViaRoute(events.slice(0, failed));
    expect(await balanceVia(key)).toBe(250);
    await deliverViaRoute(events.slice(failed));
    expect(await balanceVia(key)).toBe(500);
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      amountRefunded: 0,
      status: 'completed',
    });
  });

  it('a dispute of the invoice (card 0259) holds the allocation, even when it arrives before invoice.paid', async () => {
    const { user, key } = await apiUser();
    const since = nowSeconds() - 1;
    const sessionId = await checkoutVia(user.id, 'starter_monthly');
    expect((await payCheckout(sessionId, '4000000000000259')).status).toBe('complete');
    const customerId = (await db.customer.findUniqueOrThrow({ where: { workspaceId: user.workspaceId } })).id;
    const [charge] = (await stripe().charges.list({ customer: customerId, limit: 1 })).data;
    const events = await eventsAbout(since, customerId);
    const disputed = await eventsAbout(since, charge!.id);
    // The dispute's events first, then everything else (invoice.paid records the payment).
    await deliverViaRoute(disputed.filter((e) => e.type.startsWith('charge.dispute.')));
    await deliverViaRoute(events);
    expect(await balanceVia(key)).toBe(0);
    const payment = await db.payment.findFirstOrThrow({
      where: { workspaceId: user.workspaceId, kind: 'subscription' },
    });
    const dispute = await db.dispute.findFirstOrThrow({ where: { chargeId: charge!.id } });
    expect(dispute).toMatchObject({ paymentId: payment.id, status: 'needs_response' });
    const closing = nowSeconds() - 1;
    await stripe().disputes.update(dispute.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    await deliverViaRoute(await eventsAbout(closing, dispute.id));
    expect(await balanceVia(key)).toBe(500);
  });
});

describe('Found 6: side effects from stale events', () => {
  it('a late invoice.payment_failed for an invoice already paid sends no "payment failed" email', async () => {
    const { user } = await apiUser();
    const { customer, advanceDays } = await starterRenewingWith(user.id, 'pm_card_chargeCustomerFail');
    const s = stripe();
    await advanceDays(31); // the renewal fails
    const renewal = (await s.invoices.list({ customer: customer.id, status: 'open', limit: 1 })).data[0]!;
    const good = await s.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await s.invoices.pay(renewal.id!, { payment_method: good.id });

    const events = await eventsOfCustomer(customer.id);
    const late = events.filter((e) => e.type === 'invoice.payment_failed');
    expect(late.length).toBeGreaterThan(0);
    // Everything else first (the invoice ends paid), then the failure arrives late.
    await deliverViaRoute(events.filter((e) => e.type !== 'invoice.payment_failed'));
    expect((await db.invoice.findUniqueOrThrow({ where: { id: renewal.id! } })).status).toBe('paid');
    await deliverViaRoute(late);
    expect((await db.invoice.findUniqueOrThrow({ where: { id: renewal.id! } })).status).toBe('paid');
    const subjects = (await db.email.findMany({ where: { to: user.email } })).map((e) => e.subject);
    expect(subjects.filter((subject) => /payment failed/i.test(subject))).toEqual([]);
  });
});

describe('Found 8: a free trial every time', () => {
  it('gives Pro’s trial once: after canceling, the next checkout has none', async () => {
    const { user } = await apiUser();
    const first = await subscribeVia(user.id, 'pro_monthly');
    expect(first.subscription.status).toBe('trialing');
    const since = nowSeconds() - 1;
    await stripe().subscriptions.cancel(first.subscription.id);
    await deliverViaRoute(await eventsAbout(since, first.subscription.id));

    const again = await checkoutVia(user.id, 'pro_monthly');
    expect(again).not.toBe(first.sessionId);
    const session = await stripe().checkout.sessions.retrieve(again);
    expect(session.status).toBe('open');
    const paid = nowSeconds() - 1;
    expect((await payCheckout(again)).status).toBe('complete');
    await deliverViaRoute(await eventsAbout(paid, first.customerId));
    const second = await db.subscription.findFirstOrThrow({
      where: { workspaceId: user.workspaceId, id: { not: first.subscription.id } },
    });
    expect(second).toMatchObject({ status: 'active', trialStart: null });
  });

  it('a second checkout in the same minute as a completed one gets a new, open session', async () => {
    const { user } = await apiUser();
    const first = await subscribeVia(user.id, 'starter_monthly');
    const since = nowSeconds() - 1;
    await stripe().subscriptions.cancel(first.subscription.id);
    await deliverViaRoute(await eventsAbout(since, first.subscription.id));
    const again = await checkoutVia(user.id, 'starter_monthly');
    expect(again).not.toBe(first.sessionId);
    expect((await stripe().checkout.sessions.retrieve(again)).status).toBe('open');
  });
});
