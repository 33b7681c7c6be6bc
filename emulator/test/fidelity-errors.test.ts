import { describe, expect, it } from 'vitest';
import { API_KEY, harnessPerTest, Receiver, sdk, stripeError } from './helpers';

const h = harnessPerTest();

const call = (
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) =>
  fetch(`${h.emulator.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${API_KEY}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      ...init.headers,
    },
    body: init.body,
  });

describe('errors Stripe raises (https://docs.stripe.com/api/errors)', () => {
  it('answers 400 to an unknown Stripe-Version and accepts a real one (https://docs.stripe.com/api/versioning)', async () => {
    for (const version of ['2026-13-01', '1999-01-01', '2099-01-01.zebra', 'latest', '2025-01-27']) {
      const response = await call('/v1/customers', { headers: { 'Stripe-Version': version } });
      expect(response.status, version).toBe(400);
      const body = (await response.json()) as { error: { type: string; message: string } };
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message).toContain(`Invalid Stripe API version: ${version}`);
    }
    for (const version of ['2026-10-28.endive', '2024-09-30.acacia', '2023-10-16']) {
      expect((await call('/v1/customers', { headers: { 'Stripe-Version': version } })).status, version).toBe(
        200,
      );
    }
  });

  it('answers 400 when expanding a property that cannot be expanded (https://docs.stripe.com/api/expanding_objects)', async () => {
    const customer = await h.stripe.customers.create({ email: 'x@example.com' });
    for (const field of ['email', 'metadata', 'created']) {
      const error = await stripeError(h.stripe.customers.retrieve(customer.id, { expand: [field] }));
      expect(error.statusCode, field).toBe(400);
      expect(error.message).toBe(`This property cannot be expanded (${field}).`);
      expect(error.param).toBe('expand[0]');
    }
    // A null expandable field stays null.
    const pi = await h.stripe.paymentIntents.create({ amount: 500, currency: 'usd' }, {});
    const expanded = await h.stripe.paymentIntents.retrieve(pi.id, { expand: ['customer', 'latest_charge'] });
    expect(expanded.customer).toBeNull();
  });

  it('sends Original-Request on the first idempotent request too (https://docs.stripe.com/api/idempotent_requests)', async () => {
    const first = await call('/v1/customers', {
      method: 'POST',
      headers: { 'Idempotency-Key': 'first-key' },
      body: 'email=a%40example.com',
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('original-request')).toBe(first.headers.get('request-id'));
    const replay = await call('/v1/customers', {
      method: 'POST',
      headers: { 'Idempotency-Key': 'first-key' },
      body: 'email=a%40example.com',
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('original-request')).toBe(first.headers.get('request-id'));
  });

  it("delivers events in a webhook endpoint's api_version and refuses an unknown one (https://docs.stripe.com/webhooks/versioning)", async () => {
    const receiver = new Receiver();
    const url = await receiver.start();
    try {
      const endpoint = await h.stripe.webhookEndpoints.create({
        url,
        enabled_events: ['customer.created'],
        api_version: '2025-03-31.basil',
      });
      expect(endpoint.api_version).toBe('2025-03-31.basil');
      receiver.secret = endpoint.secret ?? '';
      await h.stripe.customers.create();
      await h.flush();
      const delivered = receiver.ofType('customer.created');
      expect(delivered).toHaveLength(1);
      expect(delivered[0]?.api_version).toBe('2025-03-31.basil');
      expect(h.receiver.ofType('customer.created')[0]?.api_version).toBe('2026-10-28.endive');
      const error = await stripeError(
        h.stripe.webhookEndpoints.create({
          url,
          enabled_events: ['*'],
          api_version: '2031-01-01.nope' as '2026-10-28.endive',
        }),
      );
      expect(error).toMatchObject({ statusCode: 400, param: 'api_version' });
    } finally {
      await receiver.stop();
    }
  });

  it('the SDK still works unchanged with its pinned version', async () => {
    await expect(sdk(h.emulator.port).customers.list()).resolves.toMatchObject({ object: 'list' });
  });
});
