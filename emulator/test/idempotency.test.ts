import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { harnessPerTest, objectId, sdk, stripeError } from './helpers';

const h = harnessPerTest();

async function rawPost(path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${h.emulator.url}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: 'Bearer sk_test_raw1',
      ...headers,
    },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('idempotency keys', () => {
  it('replays the first response for the same key and parameters', async () => {
    const first = await h.stripe.customers.create(
      { email: 'once@example.com' },
      { idempotencyKey: 'create-once' },
    );
    const second = await h.stripe.customers.create(
      { email: 'once@example.com' },
      { idempotencyKey: 'create-once' },
    );
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    const all = await h.stripe.customers.list({ email: 'once@example.com' });
    expect(all.data).toHaveLength(1);
  });

  it('replays the status and body byte for byte, including a decline', async () => {
    const body =
      'amount=2000&currency=usd&payment_method=pm_card_chargeDeclined&confirm=true&allowed_payment_method_types[]=card';
    const first = await rawPost('/v1/payment_intents', body, { 'Idempotency-Key': 'decline-1' });
    const again = await rawPost('/v1/payment_intents', body, { 'Idempotency-Key': 'decline-1' });
    expect(first.status).toBe(402);
    expect(again.status).toBe(402);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
  });

  it('ignores the order of parameters in the body', async () => {
    const a = await rawPost('/v1/customers', 'email=a%40x.com&name=A', { 'Idempotency-Key': 'order' });
    const b = await rawPost('/v1/customers', 'name=A&email=a%40x.com', { 'Idempotency-Key': 'order' });
    expect(b.body.id).toBe(a.body.id);
  });

  it('rejects the same key with different parameters (400 idempotency_error)', async () => {
    await h.stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'k1' });
    const error = await stripeError(
      h.stripe.customers.create({ email: 'b@example.com' }, { idempotencyKey: 'k1' }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    expect(error.type).toBe('StripeIdempotencyError');
    expect(error.message).toContain('Keys for idempotent requests can only be used with the same parameters');
  });

  it('rejects the same key on another endpoint', async () => {
    await h.stripe.customers.create({}, { idempotencyKey: 'k2' });
    const error = await stripeError(h.stripe.products.create({ name: 'P' }, { idempotencyKey: 'k2' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('answers 409 to a duplicate that arrives while the first is still running', async () => {
    await h.post('/_emulator/chaos', { apiDelayMs: 300 });
    const create = () =>
      h.stripe.customers.create({ email: 'slow@example.com' }, { idempotencyKey: 'in-flight' });
    const results = await Promise.allSettled([create(), create()]);
    const created = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const rejected = results.flatMap((r) =>
      r.status === 'rejected' ? [r.reason as Stripe.errors.StripeError] : [],
    );
    expect(created).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.statusCode).toBe(409);
    expect(rejected[0]?.rawType).toBe('idempotency_error');
    expect(rejected[0]?.message).toContain(
      'There is currently another in-progress request using this Idempotent Key',
    );
    // Once the first has finished, the same key replays it.
    const replay = await create();
    expect(replay.id).toBe(created[0]?.id);
    expect((await h.stripe.customers.list({ email: 'slow@example.com' })).data).toHaveLength(1);
  });

  it('scopes keys to the API key', async () => {
    const mine = await h.stripe.customers.create({ email: 'mine@example.com' }, { idempotencyKey: 'shared' });
    const theirs = await sdk(h.emulator.port, 'sk_test_otherAccount1').customers.create(
      { email: 'theirs@example.com' },
      { idempotencyKey: 'shared' },
    );
    expect(theirs.id).not.toBe(mine.id);
  });

  it('does not save a response to a request that failed validation', async () => {
    await stripeError(
      h.stripe.customers.create({ bogus: 1 } as Stripe.CustomerCreateParams, { idempotencyKey: 'fix-me' }),
    );
    const fixed = await h.stripe.customers.create(
      { email: 'fixed@example.com' },
      { idempotencyKey: 'fix-me' },
    );
    expect(fixed.email).toBe('fixed@example.com');
  });

  it('puts the key on the events the request caused', async () => {
    const customer = await h.stripe.customers.create({}, { idempotencyKey: 'evt-key' });
    const events = await h.stripe.events.list({ type: 'customer.created' });
    const event = events.data.find((e) => objectId(e) === customer.id);
    expect(event?.request).toEqual({ id: customer.lastResponse.requestId, idempotency_key: 'evt-key' });
  });
});
