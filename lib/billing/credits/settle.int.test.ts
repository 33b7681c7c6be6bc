import { describe, expect, it } from 'vitest';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import {
  createUser,
  eventsSince,
  nowSeconds,
  payCheckout,
  actorOf,
  workspaceBalance,
} from '@/lib/testing/fixtures';
import { deliver, signedRequest } from '@/lib/testing/webhooks';
import { startCreditPaymentIntent } from './purchase';

describe('settling a credit purchase against what Stripe collected', () => {
  it('grants nothing when Stripe collected less than the payment expects: needs_review, audited, staff emailed', async () => {
    const user = await createUser();
    const admin = await createUser({ role: 'admin' });
    const finance = await createUser({ role: 'finance' });
    // The payment expects $200 (20,000 credits)...
    const { payment } = await startCreditPaymentIntent(actorOf(user), { amount: 20000, currency: 'usd' });
    const since = nowSeconds() - 1;
    // ...but a $5 checkout session carries its id (the reused-key attack of issue #11).
    const session = await stripe().checkout.sessions.create({
      mode: 'payment',
      line_items: [
        { price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'x' } }, quantity: 1 },
      ],
      metadata: { payment_id: payment.id, user_id: user.id },
      payment_intent_data: { metadata: { payment_id: payment.id, user_id: user.id } },
      success_url: 'http://127.0.0.1/ok',
      cancel_url: 'http://127.0.0.1/no',
    });
    await payCheckout(session.id);
    const events = await eventsSince(since, (e) => JSON.stringify(e.data.object).includes(payment.id));
    expect(events.map((e) => e.type)).toContain('checkout.session.completed');
    for (const event of [...events, ...events]) await deliver(signedRequest(JSON.stringify(event)));

    const after = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(after.status).toBe('needs_review');
    expect(after.amountCollected).toBe(500);
    expect(after.reviewReason).toMatch(/collected 500 usd, expected 20000 usd/);
    expect(await workspaceBalance(user.workspaceId)).toBe(0);
    expect(await db.creditLedger.count({ where: { workspaceId: user.workspaceId } })).toBe(0);
    const audits = await db.auditLog.findMany({
      where: { action: 'payment.amount_mismatch', targetId: payment.id },
    });
    expect(audits).toHaveLength(1);
    const emails = await db.email.findMany({
      where: { dedupeKey: { startsWith: `payment-review:${payment.id}:` } },
    });
    expect(emails.map((e) => e.to)).toEqual(expect.arrayContaining([admin.email, finance.email]));
    expect(emails.map((e) => e.to)).not.toContain(user.email);
  });

  it('grants a matching payment intent normally', async () => {
    const user = await createUser();
    const { payment } = await startCreditPaymentIntent(actorOf(user), { amount: 1200, currency: 'usd' });
    const since = nowSeconds() - 1;
    await stripe().paymentIntents.confirm(payment.paymentIntentId!, { payment_method: 'pm_card_visa' });
    const events = await eventsSince(since, (e) => JSON.stringify(e.data.object).includes(payment.id));
    expect(events.map((e) => e.type)).toContain('payment_intent.succeeded');
    for (const event of events)
      expect((await deliver(signedRequest(JSON.stringify(event)))).status).toBe(200);
    const applied = await db.webhookEvent.findMany({
      where: { id: { in: events.map((e) => e.id) } },
      select: { type: true, status: true, error: true },
    });
    expect(applied.filter((r) => r.status !== 'processed' && r.status !== 'ignored')).toEqual([]);
    const after = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(after).toMatchObject({ status: 'completed', amountCollected: 1200 });
    expect(await workspaceBalance(user.workspaceId)).toBe(1200);
  });
});
