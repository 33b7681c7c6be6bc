import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { deliver, fakeEvent, signedRequest } from '@/lib/testing/webhooks';
import { MAX_WEBHOOK_BYTES } from './receive';

async function rowsFor(id: string) {
  return db.webhookEvent.findMany({ where: { id } });
}

describe('POST /api/stripe/webhook verification', () => {
  it('records a correctly signed event once and acknowledges it', async () => {
    const event = fakeEvent('balance.available', { id: 'bal_1', object: 'balance' });
    const response = await deliver(signedRequest(JSON.stringify(event)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    const [row] = await rowsFor(event.id);
    expect(row?.type).toBe('balance.available');
    // An unknown type is acknowledged (Stripe must not retry it forever) and logged as ignored.
    expect(row?.status).toBe('ignored');
  });

  it('refuses a forged signature with 400 and records nothing', async () => {
    const event = fakeEvent('customer.created', { id: 'cus_forged', object: 'customer' });
    const response = await deliver(
      signedRequest(JSON.stringify(event), { secret: 'whsec_notTheRealSecret' }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Invalid signature.' });
    expect(await rowsFor(event.id)).toHaveLength(0);
  });

  it('refuses a tampered body with 400', async () => {
    const event = fakeEvent('customer.created', { id: 'cus_tamper', object: 'customer' });
    const good = signedRequest(JSON.stringify(event));
    const tampered = new Request(good.url, {
      method: 'POST',
      headers: good.headers,
      body: JSON.stringify({ ...event, type: 'invoice.paid' }),
    });
    expect((await deliver(tampered)).status).toBe(400);
    expect(await rowsFor(event.id)).toHaveLength(0);
  });

  it('refuses a stale signature (replay) with 400', async () => {
    const event = fakeEvent('customer.created', { id: 'cus_stale', object: 'customer' });
    const response = await deliver(
      signedRequest(JSON.stringify(event), { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Signature timestamp is too old.' });
    expect(await rowsFor(event.id)).toHaveLength(0);
  });

  it('refuses an unsigned request with 400', async () => {
    const event = fakeEvent('customer.created', { id: 'cus_unsigned', object: 'customer' });
    const response = await deliver(signedRequest(JSON.stringify(event), { header: null }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Missing Stripe-Signature header.' });
    expect(await rowsFor(event.id)).toHaveLength(0);
  });

  it('answers 503 and accepts nothing when no signing secret is configured', async () => {
    const event = fakeEvent('customer.created', { id: 'cus_nosecret', object: 'customer' });
    const response = await deliver(signedRequest(JSON.stringify(event)), { secret: null });
    expect(response.status).toBe(503);
    expect(await rowsFor(event.id)).toHaveLength(0);
  });

  it('answers 413 for a body over the limit', async () => {
    const event = fakeEvent('customer.created', {
      id: 'cus_big',
      object: 'customer',
      padding: 'x'.repeat(MAX_WEBHOOK_BYTES),
    });
    const response = await deliver(signedRequest(JSON.stringify(event)));
    expect(response.status).toBe(413);
    expect(await rowsFor(event.id)).toHaveLength(0);
  });

  it('refuses a signed body that is not an event with 400', async () => {
    const response = await deliver(signedRequest('{"hello":"world"}'));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Malformed event.' });
  });

  it('treats a redelivery of an applied event as a no-op 200', async () => {
    const event = fakeEvent('balance.available', { id: 'bal_2', object: 'balance' });
    const body = JSON.stringify(event);
    await deliver(signedRequest(body));
    const again = await deliver(signedRequest(body));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    const [row] = await rowsFor(event.id);
    expect(row?.attempts).toBe(1);
  });

  it('applies concurrent duplicates of one event exactly once', async () => {
    const event = fakeEvent('balance.available', { id: 'bal_3', object: 'balance' });
    const body = JSON.stringify(event);
    const responses = await Promise.all(Array.from({ length: 8 }, () => deliver(signedRequest(body))));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const [row] = await rowsFor(event.id);
    expect(row?.attempts).toBe(1);
    expect(row?.status).toBe('ignored');
  });
});
