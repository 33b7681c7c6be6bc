import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import {
  createUser,
  eventsSince,
  nowSeconds,
  payCheckout,
  shuffle,
  actorOf,
  workspaceBalance,
} from '@/lib/testing/fixtures';
import { deliver, signedRequest } from '@/lib/testing/webhooks';
import { postEntry, spendCredits } from './ledger';
import { startCreditPurchase } from './purchase';

async function ledgerOf(workspaceId: string) {
  return db.creditLedger.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } });
}

describe('buying credits', () => {
  it('grants the credits exactly once when the events arrive three times, shuffled and concurrently', async () => {
    const user = await createUser();
    const since = nowSeconds() - 1;
    const payment = await startCreditPurchase(actorOf(user), { pack: 'credits_1000' });
    expect(payment.status).toBe('pending');
    expect(payment.amount).toBe(1000);
    expect((await payCheckout(payment.checkoutSessionId!)).status).toBe('complete');

    const events = await eventsSince(since, (e) => JSON.stringify(e.data.object).includes(payment.id));
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['checkout.session.completed', 'payment_intent.succeeded', 'charge.succeeded']),
    );
    const deliveries = shuffle([...events, ...events, ...events]);
    const responses = await Promise.all(
      deliveries.map((event) => deliver(signedRequest(JSON.stringify(event)))),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);

    const after = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(after.status).toBe('completed');
    expect(await workspaceBalance(user.workspaceId)).toBe(1000);
    const ledger = await ledgerOf(user.workspaceId);
    expect(ledger.map((e) => [e.kind, e.amount, e.balanceAfter])).toEqual([['purchase', 1000, 1000]]);
  });

  it('grants nothing for a declined card', async () => {
    const user = await createUser();
    const since = nowSeconds() - 1;
    const payment = await startCreditPurchase(actorOf(user), { pack: 'credits_1000' });
    expect((await payCheckout(payment.checkoutSessionId!, '4000000000000002')).status).toBe('failed');
    const events = await eventsSince(since, (e) => JSON.stringify(e.data.object).includes(payment.id));
    expect(events.map((e) => e.type)).toContain('payment_intent.payment_failed');
    for (const event of events) await deliver(signedRequest(JSON.stringify(event)));
    const after = await db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(after.status).toBe('pending');
    expect(after.failureMessage).toMatch(/declined/i);
    expect(await ledgerOf(user.workspaceId)).toEqual([]);
  });
});

describe('spending credits', () => {
  it('lets exactly 10 of 50 concurrent spends through a balance that allows 10', async () => {
    const user = await createUser();
    await db.$transaction((tx) =>
      postEntry(tx, {
        workspaceId: user.workspaceId,
        kind: 'coupon',
        amount: 100,
        sourceKey: `test-grant:${user.id}`,
      }),
    );
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => spendCredits(user.workspaceId, 10, 'report', `req-${i}`)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok)[0]).toMatchObject({
      ok: false,
      message: 'Not enough credits: this needs 10 and you have 0.',
    });
    const balance = await workspaceBalance(user.workspaceId);
    expect(balance).toBe(0);
    const sum = await db.creditLedger.aggregate({
      where: { workspaceId: user.workspaceId },
      _sum: { amount: true },
    });
    expect(sum._sum.amount).toBe(balance);
  });

  it('spends once for a retried request id', async () => {
    const user = await createUser();
    await db.$transaction((tx) =>
      postEntry(tx, {
        workspaceId: user.workspaceId,
        kind: 'coupon',
        amount: 50,
        sourceKey: `test-grant:${user.id}`,
      }),
    );
    await spendCredits(user.workspaceId, 10, 'report', 'same-request');
    await spendCredits(user.workspaceId, 10, 'report', 'same-request');
    expect(await workspaceBalance(user.workspaceId)).toBe(40);
  });
});
