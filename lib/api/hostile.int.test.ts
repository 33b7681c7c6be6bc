import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POST as createCheckoutSession } from '@/app/api/stripe/checkout-session/route';
import { GET as getCheckoutSession } from '@/app/api/stripe/checkout-session/[id]/route';
import { POST as createPaymentIntent } from '@/app/api/stripe/payment-intent/route';
import { GET as getPaymentIntent } from '@/app/api/stripe/payment-intent/[id]/route';
import { GET as getPayment } from '@/app/api/stripe/payments/[id]/route';
import { receiptFor } from '@/lib/billing/receipts';
import { db } from '@/lib/db';
import { createUser } from '@/lib/testing/fixtures';
import { createApiKey } from './keys';

// Hostile input to the REST API: a precise 400 or 404, never a 5xx, and no row left behind.

function post(key: string, body: string): Request {
  return new Request('http://127.0.0.1/api/stripe/checkout-session', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
}
const get = (key: string) =>
  new Request('http://127.0.0.1/api/x', { headers: { authorization: `Bearer ${key}` } });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function userWithKey() {
  const user = await createUser();
  const { key } = await createApiKey({ workspaceId: user.workspaceId, userId: user.id }, 'hostile');
  return { user, key };
}

/** Every row a purchase could leave behind, as a fingerprint. */
async function purchaseState(workspaceId: string) {
  const [payments, ledger, keys] = await Promise.all([
    db.payment.findMany({ where: { workspaceId }, select: { id: true } }),
    db.creditLedger.count({ where: { workspaceId } }),
    db.idempotencyKey.count(),
  ]);
  return { payments: payments.length, ledger, keys };
}

describe('REST input PostgreSQL cannot store', () => {
  it.each([
    ['a NUL', '"description":"a\\u0000b"'],
    ['a lone surrogate', '"description":"x\\ud800"'],
    ['a NUL in a key', '"a\\u0000":1'],
  ])('%s in a purchase body: 400, no pending Payment on either route', async (_name, field) => {
    const { user, key } = await userWithKey();
    const before = await purchaseState(user.workspaceId);
    const body = `{"amount":1000,"currency":"usd",${field}}`;
    for (const route of [createCheckoutSession, createPaymentIntent]) {
      const response = await route(post(key, body));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/NUL characters or lone/);
    }
    expect(await purchaseState(user.workspaceId)).toEqual(before);
  });

  it('answers 404 for path ids with a NUL or a lone surrogate', async () => {
    const { user, key } = await userWithKey();
    for (const id of ['\u0000', 'pay_\u0000x', '\ud800', 'x\udfff']) {
      expect((await getPayment(get(key), params(id))).status).toBe(404);
      expect((await getPaymentIntent(get(key), params(id))).status).toBe(404);
      expect((await getCheckoutSession(get(key), params(id))).status).toBe(404);
      expect(await receiptFor(id, { id: user.id, role: 'user' })).toBeNull();
    }
  });
});

function hostileBodies(seed: number, runs: number): string[] {
  const nasty = fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000b', 'x'.repeat(5000));
  const number = fc.constantFrom(
    '1e999999',
    '-1e999999',
    '1e-999999',
    '1e20',
    '-1e15',
    'NaN',
    '9'.repeat(400),
  );
  return fc.sample(
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
      fc.nat().map((cut) => {
        const text = '{"amount":1000,"currency":"usd","description":"credits"}';
        return text.slice(0, cut % text.length);
      }),
      number.map((n) => `{"amount":${n},"currency":"usd"}`),
      nasty.map((s) => JSON.stringify({ amount: 1000, currency: 'usd', description: s })),
      nasty.map((s) => JSON.stringify({ pack: s })),
      fc.integer({ min: 1, max: 50_000 }).map((d) => `{"pack":${'['.repeat(d)}${']'.repeat(d)}}`),
    ),
    { seed, numRuns: runs },
  );
}

describe('REST API fuzzing', () => {
  it('answers every hostile body and path id without a 5xx, leaving no row behind', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 12);
    const runs = Number(process.env.FUZZ_RUNS ?? 60);
    const { user, key } = await userWithKey();
    const before = await purchaseState(user.workspaceId);
    const statuses: Record<number, number> = {};
    const count = (status: number) => (statuses[status] = (statuses[status] ?? 0) + 1);
    for (const body of hostileBodies(seed, runs)) {
      for (const route of [createCheckoutSession, createPaymentIntent]) {
        const response = await route(post(key, body));
        count(response.status);
        expect(response.status, body.slice(0, 120)).toBeGreaterThanOrEqual(400);
        expect(response.status, body.slice(0, 120)).toBeLessThan(500);
      }
    }
    const ids = fc.sample(
      fc.oneof(fc.string({ unit: 'binary' }), fc.string({ minLength: 3000, maxLength: 9000 })),
      {
        seed,
        numRuns: runs,
      },
    );
    for (const id of ids) {
      for (const route of [getPayment, getPaymentIntent, getCheckoutSession]) {
        const response = await route(get(key), params(id));
        count(response.status);
        expect(response.status).toBe(404);
      }
    }
    expect(await purchaseState(user.workspaceId)).toEqual(before);
    console.log(
      `REST fuzz: seed ${seed}, ${runs} bodies x 2 routes, ${runs} ids x 3 routes, statuses ${JSON.stringify(statuses)}`,
    );
  }, 300_000);
});
