import { describe, expect, it } from 'vitest';
import { POST as createCheckoutSession } from '@/app/api/stripe/checkout-session/route';
import { GET as getCheckoutSession } from '@/app/api/stripe/checkout-session/[id]/route';
import { GET as listPayments } from '@/app/api/stripe/payments/route';
import { GET as getPayment } from '@/app/api/stripe/payments/[id]/route';
import { GET as getBalance } from '@/app/api/credits/balance/route';
import { db } from '@/lib/db';
import { createUser } from '@/lib/testing/fixtures';
import { createApiKey, revokeApiKey } from './keys';

function call(
  path: string,
  init: { key?: string; body?: unknown; headers?: Record<string, string>; method?: string } = {},
) {
  return new Request(`http://127.0.0.1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function userWithKey() {
  const user = await createUser();
  const { key } = await createApiKey({ workspaceId: user.workspaceId, userId: user.id }, 'test');
  return { user, key };
}

describe('REST API authentication', () => {
  it('answers 401 without credentials, with an unknown key and with a revoked key', async () => {
    expect((await getBalance(call('/api/credits/balance'))).status).toBe(401);
    expect((await getBalance(call('/api/credits/balance', { key: 'tg_not-a-real-key' }))).status).toBe(401);
    const { user, key } = await userWithKey();
    expect((await getBalance(call('/api/credits/balance', { key }))).status).toBe(200);
    const [row] = await db.apiKey.findMany({ where: { userId: user.id } });
    await revokeApiKey({ workspaceId: user.workspaceId, userId: user.id, anyKey: false }, row!.id);
    const revoked = await getBalance(call('/api/credits/balance', { key }));
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ error: 'Invalid or revoked API key.' });
  });

  it('stores only a hash of the key', async () => {
    const { user, key } = await userWithKey();
    const [row] = await db.apiKey.findMany({ where: { userId: user.id } });
    expect(row!.hash).not.toContain(key);
    expect(key.startsWith(row!.prefix)).toBe(true);
  });
});

describe('POST /api/stripe/checkout-session', () => {
  it('creates a pending payment and a checkout session for a pack', async () => {
    const { key } = await userWithKey();
    const response = await createCheckoutSession(
      call('/api/stripe/checkout-session', { key, body: { pack: 'credits_5000' } }),
    );
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'pending', amount: 5000, credits: 5000, currency: 'usd' });
    expect(String(body.session_id)).toMatch(/^cs_test_/);
    expect(String(body.url)).toContain('/c/pay/');
    expect(typeof body.expires_at).toBe('string');
  });

  it('returns the same payment for the same Idempotency-Key, even concurrently', async () => {
    const { user, key } = await userWithKey();
    const headers = { 'idempotency-key': 'order-12345678' };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        createCheckoutSession(
          call('/api/stripe/checkout-session', {
            key,
            headers,
            body: { amount: 2500, currency: 'usd', description: 'Top-up' },
          }),
        ),
      ),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{
      payment_id: string;
      session_id: string;
    }>;
    expect(new Set(bodies.map((b) => b.payment_id)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.session_id)).size).toBe(1);
    expect(await db.payment.count({ where: { workspaceId: user.workspaceId } })).toBe(1);
  });

  it.each([
    ['zero', { amount: 0, currency: 'usd' }],
    ['negative', { amount: -500, currency: 'usd' }],
    ['huge', { amount: 10_000_000_000, currency: 'usd' }],
    ['non-integer', { amount: 1000.5, currency: 'usd' }],
    ['a string', { amount: '1000', currency: 'usd' }],
    ['wrong currency', { amount: 1000, currency: 'eur' }],
    ['an unknown pack', { pack: 'credits_999999' }],
    ['a price from the browser', { amount: 1000, currency: 'usd', price: 'price_123' }],
  ])('rejects %s with 400 and field errors, creating nothing', async (_name, body) => {
    const { user, key } = await userWithKey();
    const response = await createCheckoutSession(call('/api/stripe/checkout-session', { key, body }));
    expect(response.status).toBe(400);
    const json = (await response.json()) as { error: string; fields: Record<string, string[]> };
    expect(json.error).toBe('Invalid purchase.');
    expect(Object.keys(json.fields).length).toBeGreaterThan(0);
    expect(await db.payment.count({ where: { workspaceId: user.workspaceId } })).toBe(0);
  });

  it('rejects a body that is not JSON', async () => {
    const { key } = await userWithKey();
    const response = await createCheckoutSession(
      call('/api/stripe/checkout-session', { key, body: 'amount=5' }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'The body must be JSON.' });
  });
});

describe('ownership', () => {
  it("gives 404 for another user's payment and session, and lists only one's own", async () => {
    const alice = await userWithKey();
    const bob = await userWithKey();
    const created = (await (
      await createCheckoutSession(
        call('/api/stripe/checkout-session', { key: alice.key, body: { pack: 'credits_1000' } }),
      )
    ).json()) as {
      payment_id: string;
      session_id: string;
    };
    expect(
      (
        await getPayment(
          call(`/api/stripe/payments/${created.payment_id}`, { key: alice.key }),
          params(created.payment_id),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await getPayment(
          call(`/api/stripe/payments/${created.payment_id}`, { key: bob.key }),
          params(created.payment_id),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await getCheckoutSession(
          call(`/api/stripe/checkout-session/${created.session_id}`, { key: bob.key }),
          params(created.session_id),
        )
      ).status,
    ).toBe(404);
    const bobsList = (await (await listPayments(call('/api/stripe/payments', { key: bob.key }))).json()) as {
      data: unknown[];
    };
    expect(bobsList.data).toEqual([]);
    const alicesList = (await (
      await listPayments(call('/api/stripe/payments?limit=5', { key: alice.key }))
    ).json()) as { data: Array<{ id: string }>; has_more: boolean };
    expect(alicesList.data.map((p) => p.id)).toEqual([created.payment_id]);
    expect(alicesList.has_more).toBe(false);
  });
});
