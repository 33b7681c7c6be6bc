import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { startCreditPurchase } from '@/lib/billing/credits/purchase';
import { createUser, eventsSince, nowSeconds, payCheckout, actorOf } from '@/lib/testing/fixtures';
import { deliver, signedRequest } from '@/lib/testing/webhooks';
import { issueRefund, refundableAmount } from './refunds';

async function paidPurchase(pack = 'credits_5000') {
  const user = await createUser();
  const since = nowSeconds() - 1;
  const payment = await startCreditPurchase(actorOf(user), { pack });
  await payCheckout(payment.checkoutSessionId!);
  const events = await eventsSince(since, (e) => JSON.stringify(e.data.object).includes(payment.id));
  for (const event of events) await deliver(signedRequest(JSON.stringify(event)));
  return { user, payment: await db.payment.findUniqueOrThrow({ where: { id: payment.id } }) };
}

describe('issueRefund', () => {
  it('writes one refund.requested audit row for three identical concurrent requests', async () => {
    const { payment } = await paidPurchase();
    const admin = await createUser({ role: 'admin' });
    const input = {
      paymentId: payment.id,
      amount: 700,
      reason: 'Customer asked',
      stripeReason: 'requested_by_customer' as const,
      token: `tok-${payment.id}`,
    };
    for (let run = 0; run < 3; run += 1) {
      const results = await Promise.all(
        [1, 2, 3].map(() => issueRefund(admin, { ...input, token: `${input.token}-${run}` })),
      );
      expect(new Set(results.map((r) => r.refundId)).size).toBe(1);
    }
    const rows = await db.auditLog.findMany({ where: { action: 'refund.requested', targetId: payment.id } });
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.stripeIds[0])).size).toBe(3);
  });

  it('shows the new refundable amount at once, and refuses the old token for another amount', async () => {
    const { payment } = await paidPurchase();
    const admin = await createUser({ role: 'finance' });
    const base = { paymentId: payment.id, reason: 'Partial', stripeReason: 'requested_by_customer' as const };
    const first = await issueRefund(admin, { ...base, amount: 1000, token: `first-${payment.id}` });
    expect(first.amount).toBe(1000);
    expect(await refundableAmount(payment.id)).toBe(4000);
    await expect(
      issueRefund(admin, { ...base, amount: 500, token: `first-${payment.id}` }),
    ).rejects.toMatchObject({
      status: 400,
      publicMessage: expect.stringContaining('idempotency'),
    });
    const second = await issueRefund(admin, { ...base, amount: 500, token: `second-${payment.id}` });
    expect(second.refundId).not.toBe(first.refundId);
    expect(await refundableAmount(payment.id)).toBe(3500);
  });
});
