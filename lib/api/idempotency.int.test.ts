import { describe, expect, it } from 'vitest';
import { POST as createCheckoutSession } from '@/app/api/stripe/checkout-session/route';
import { POST as createPaymentIntent } from '@/app/api/stripe/payment-intent/route';
import { db } from '@/lib/db';
import { createUser } from '@/lib/testing/fixtures';
import { createApiKey } from './keys';

function post(path: string, key: string, body: unknown, idempotencyKey: string) {
  return new Request(`http://127.0.0.1${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    },
    body: JSON.stringify(body),
  });
}

async function userWithKey() {
  const user = await createUser();
  const { key } = await createApiKey({ workspaceId: user.workspaceId, userId: user.id }, 'test');
  return { user, key };
}

describe('Idempotency-Key is bound to its request (route + body)', () => {
  it('refuses the same key on another purchase route with a 400 idempotency_error, and creates nothing', async () => {
    const { user, key } = await userWithKey();
    const first = await createPaymentIntent(
      post('/api/stripe/payment-intent', key, { amount: 20000, currency: 'usd' }, 'reuse-key-0001'),
    );
    expect(first.status).toBe(201);
    const second = await createCheckoutSession(
      post('/api/stripe/checkout-session', key, { amount: 500, currency: 'usd' }, 'reuse-key-0001'),
    );
    expect(second.status).toBe(400);
    expect(await second.json()).toEqual({
      type: 'idempotency_error',
      error: expect.stringContaining("'reuse-key-0001'"),
    });
    const payments = await db.payment.findMany({ where: { workspaceId: user.workspaceId } });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ amount: 20000, checkoutSessionId: null });
  });

  it('refuses the reverse order too (checkout first, then payment intent)', async () => {
    const { user, key } = await userWithKey();
    const first = await createCheckoutSession(
      post('/api/stripe/checkout-session', key, { amount: 500, currency: 'usd' }, 'reuse-key-0002'),
    );
    expect(first.status).toBe(201);
    const second = await createPaymentIntent(
      post('/api/stripe/payment-intent', key, { amount: 20000, currency: 'usd' }, 'reuse-key-0002'),
    );
    expect(second.status).toBe(400);
    expect(((await second.json()) as { type: string }).type).toBe('idempotency_error');
    const payments = await db.payment.findMany({ where: { workspaceId: user.workspaceId } });
    expect(payments.map((p) => [p.amount, p.paymentIntentId])).toEqual([[500, null]]);
  });

  it('answers 400 for the same key with a different body on the same route', async () => {
    const { user, key } = await userWithKey();
    const path = '/api/stripe/checkout-session';
    expect(
      (await createCheckoutSession(post(path, key, { pack: 'credits_1000' }, 'body-key-0001'))).status,
    ).toBe(201);
    const other = await createCheckoutSession(post(path, key, { pack: 'credits_5000' }, 'body-key-0001'));
    expect(other.status).toBe(400);
    const body = (await other.json()) as { type: string; error: string };
    expect(body.type).toBe('idempotency_error');
    expect(body.error).toContain('body-key-0001');
    expect(await db.payment.count({ where: { workspaceId: user.workspaceId } })).toBe(1);
  });

  it('replays the original response for the same key and body, even for 6 concurrent duplicates', async () => {
    const { user, key } = await userWithKey();
    const path = '/api/stripe/payment-intent';
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        createPaymentIntent(post(path, key, { amount: 1500, currency: 'usd' }, 'replay-key-0001')),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const bodies = (await Promise.all(
      responses.filter((r) => r.status === 201).map((r) => r.json()),
    )) as Array<{ payment_id: string; payment_intent_id: string }>;
    expect(bodies.length).toBeGreaterThan(0);
    expect(new Set(bodies.map((b) => b.payment_id)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.payment_intent_id)).size).toBe(1);
    expect(await db.payment.count({ where: { workspaceId: user.workspaceId } })).toBe(1);
    const later = await createPaymentIntent(
      post(path, key, { amount: 1500, currency: 'usd' }, 'replay-key-0001'),
    );
    expect(later.status).toBe(201);
    expect(((await later.json()) as { payment_id: string }).payment_id).toBe(bodies[0]!.payment_id);
  });

  it('does not bind keys across users', async () => {
    const a = await userWithKey();
    const b = await userWithKey();
    const path = '/api/stripe/checkout-session';
    expect(
      (await createCheckoutSession(post(path, a.key, { pack: 'credits_1000' }, 'shared-key-0001'))).status,
    ).toBe(201);
    expect(
      (await createCheckoutSession(post(path, b.key, { pack: 'credits_5000' }, 'shared-key-0001'))).status,
    ).toBe(201);
  });
});
