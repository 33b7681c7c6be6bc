import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createHarness, harnessPerTest, objectId, Receiver } from './helpers';

const h = harnessPerTest();

interface AttemptRow {
  event_id: string;
  event_type: string;
  endpoint_id: string;
  attempt: number;
  status: string;
  status_code: number | null;
  response_excerpt: string;
  duration_ms: number;
  at: string;
  error: string | null;
  duplicate: boolean;
}

async function deliveryLog(url: string): Promise<AttemptRow[]> {
  const response = await fetch(`${url}/_emulator/deliveries`);
  return ((await response.json()) as { data: AttemptRow[] }).data;
}

describe('webhook delivery', () => {
  it('signs every delivery so stripe.webhooks.constructEvent accepts it', async () => {
    const customer = await h.stripe.customers.create({ email: 'signed@example.com' });
    await h.flush();
    expect(h.receiver.deliveries).toHaveLength(1);
    const [delivery] = h.receiver.deliveries;
    expect(delivery?.verified).toBe(true);
    expect(delivery?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = delivery?.event;
    expect(event).toMatchObject({
      object: 'event',
      type: 'customer.created',
      api_version: '2026-10-28.endive',
      livemode: false,
      request: { id: customer.lastResponse.requestId },
      data: { object: { id: customer.id, email: 'signed@example.com' } },
    });
    expect(event?.id).toMatch(/^evt_/);
    expect(typeof event?.created).toBe('number');
    expect(typeof event?.pending_webhooks).toBe('number');
    // A tampered body or another secret fails verification.
    const raw = delivery?.raw ?? '';
    expect(() =>
      Stripe.webhooks.constructEvent(
        raw.replace('signed@', 'evil@'),
        delivery?.signature ?? '',
        h.receiver.secret,
      ),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => Stripe.webhooks.constructEvent(raw, delivery?.signature ?? '', 'whsec_wrong')).toThrow();
  });

  it('delivers after the API response, and the event is retrievable', async () => {
    const customer = await h.stripe.customers.create();
    await h.flush();
    const eventId = h.receiver.deliveries[0]?.event.id ?? '';
    const event = await h.stripe.events.retrieve(eventId);
    expect(event.data.object).toMatchObject({ id: customer.id });
    expect(event.pending_webhooks).toBe(0);
  });

  it('shows the secret only in the create response', async () => {
    expect(h.endpoint.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    const again = await h.stripe.webhookEndpoints.retrieve(h.endpoint.id);
    expect(again.secret).toBeUndefined();
    const listed = await h.stripe.webhookEndpoints.list();
    expect(listed.data.map((e) => e.secret)).toEqual([undefined]);
  });

  it('sends only the enabled events, and nothing to disabled or deleted endpoints', async () => {
    const other = new Receiver();
    const url = await other.start();
    try {
      const endpoint = await h.stripe.webhookEndpoints.create({ url, enabled_events: ['product.created'] });
      other.secret = endpoint.secret ?? '';
      await h.stripe.customers.create();
      await h.stripe.products.create({ name: 'Only this' });
      await h.flush();
      expect(other.types()).toEqual(['product.created']);
      expect(other.deliveries.every((d) => d.verified)).toBe(true);

      await h.stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
      await h.stripe.products.create({ name: 'Not while disabled' });
      await h.stripe.webhookEndpoints.update(endpoint.id, {
        disabled: false,
        enabled_events: ['customer.created'],
      });
      await h.stripe.customers.create();
      await h.flush();
      expect(other.types()).toEqual(['product.created', 'customer.created']);

      const deleted = await h.stripe.webhookEndpoints.del(endpoint.id);
      expect(deleted).toMatchObject({ id: endpoint.id, deleted: true });
      await h.stripe.customers.create();
      await h.flush();
      expect(other.deliveries).toHaveLength(2);
    } finally {
      await other.stop();
    }
  });

  it('retries after a 500 and logs every attempt', async () => {
    h.receiver.respond = (_event, attempt) => (attempt < 3 ? 500 : 200);
    const customer = await h.stripe.customers.create();
    await h.flush();
    const attempts = h.receiver.deliveries.filter((d) => objectId(d.event) === customer.id);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((d) => d.event.id)).size).toBe(1);
    expect(attempts.every((d) => d.verified)).toBe(true);

    const log = (await deliveryLog(h.emulator.url))
      .filter((a) => a.event_id === attempts[0]?.event.id)
      .reverse();
    expect(log.map((a) => [a.attempt, a.status, a.status_code])).toEqual([
      [1, 'retrying', 500],
      [2, 'retrying', 500],
      [3, 'succeeded', 200],
    ]);
    expect(log[0]).toMatchObject({
      event_type: 'customer.created',
      endpoint_id: h.endpoint.id,
      response_excerpt: 'status 500',
    });
    expect(typeof log[0]?.duration_ms).toBe('number');
    expect(Date.parse(log[0]?.at ?? '')).not.toBeNaN();
    const event = await h.stripe.events.retrieve(attempts[0]?.event.id ?? '');
    expect(event.pending_webhooks).toBe(0);
  });

  it('marks a delivery failed once the retry schedule is used up', async () => {
    h.receiver.respond = () => 503;
    await h.stripe.customers.create();
    await h.flush();
    expect(h.receiver.deliveries).toHaveLength(3); // first attempt + 2 retries ([50, 100] ms)
    const log = await deliveryLog(h.emulator.url);
    expect(log[0]).toMatchObject({ attempt: 3, status: 'failed', status_code: 503 });
    const event = await h.stripe.events.retrieve(h.receiver.deliveries[0]?.event.id ?? '');
    expect(event.pending_webhooks).toBe(1);
  });

  it('lists undelivered events with delivery_success=false, and a created range, for missed-event recovery', async () => {
    h.receiver.respond = (event) => (event?.type === 'customer.created' ? 503 : 200);
    const since = Math.floor(Date.now() / 1000);
    const missed = await h.stripe.customers.create();
    await h.stripe.customers.update(missed.id, { name: 'Delivered' });
    await h.flush();
    const list = async (params: Stripe.EventListParams) =>
      (await h.stripe.events.list({ ...params, limit: 100 })).data.filter((e) => objectId(e) === missed.id);
    expect((await list({ delivery_success: false })).map((e) => e.type)).toEqual(['customer.created']);
    expect((await list({ delivery_success: true })).map((e) => e.type)).toEqual(['customer.updated']);
    expect(await list({ created: { gte: since } })).toHaveLength(2);
    expect(await list({ created: { lt: since } })).toHaveLength(0);
  });

  it('counts a connection error and a timeout as failed attempts', async () => {
    const harness = await createHarness({ webhookTimeoutMs: 300, retrySchedule: [20, 20, 20] });
    try {
      harness.receiver.respond = async (_event, attempt) => {
        if (attempt === 1) await new Promise((resolve) => setTimeout(resolve, 1500));
        return 200;
      };
      await harness.stripe.customers.create();
      await harness.flush();
      const log = (await deliveryLog(harness.emulator.url)).reverse();
      expect(log[0]).toMatchObject({
        attempt: 1,
        status: 'retrying',
        status_code: null,
        error: 'Timed out after 300 ms',
      });
      expect(log.at(-1)).toMatchObject({ status: 'succeeded', status_code: 200 });

      await harness.stripe.webhookEndpoints.update(harness.endpoint.id, {
        url: 'http://127.0.0.1:9/unreachable',
      });
      await harness.stripe.customers.create();
      await harness.flush();
      const latest = await deliveryLog(harness.emulator.url);
      expect(latest[0]).toMatchObject({ status: 'failed', status_code: null });
      expect(latest[0]?.error).toBeTruthy();
    } finally {
      await harness.close();
    }
  });

  it('has an HTML delivery log', async () => {
    await h.stripe.customers.create();
    await h.flush();
    const response = await fetch(`${h.emulator.url}/_emulator`);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('customer.created');
    expect(page).toContain(h.endpoint.url);
  });
});

describe('chaos', () => {
  it('duplicates every delivery when duplicate is a count', async () => {
    await h.post('/_emulator/chaos', { duplicate: 2 });
    await h.stripe.customers.create();
    await h.flush();
    expect(h.receiver.deliveries).toHaveLength(3);
    expect(new Set(h.receiver.deliveries.map((d) => d.event.id)).size).toBe(1);
    expect(h.receiver.deliveries.every((d) => d.verified)).toBe(true);
  });

  it('duplicates with a probability', async () => {
    await h.post('/_emulator/chaos', { duplicate: 0.5 });
    for (let i = 0; i < 20; i++) await h.stripe.customers.create();
    await h.flush();
    const count = h.receiver.deliveries.length;
    expect(count).toBeGreaterThan(20);
    expect(count).toBeLessThan(40);
  });

  it('reorders a pending batch', async () => {
    await h.post('/_emulator/chaos', { reorder: true });
    const product = await h.stripe.products.create({
      name: 'Batch',
      default_price_data: { currency: 'usd', unit_amount: 700 },
    });
    const session = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: String(product.default_price), quantity: 1 }],
      success_url: 'https://app.example/ok',
    });
    await h.flush();
    h.receiver.deliveries.length = 0;
    await h.post(`/_emulator/checkout/sessions/${session.id}/pay`, {
      card: '4242424242424242',
      email: 'r@example.com',
    });
    await h.flush();
    const emitted = (await h.stripe.events.list({ limit: 10 })).data.reverse().map((e) => e.type);
    const received = h.receiver.types();
    expect([...received].sort()).toEqual([...emitted.slice(-received.length)].sort());
    expect(received).not.toEqual(emitted.slice(-received.length));
  });

  it('delivers concurrently to one endpoint when concurrency is above 1', async () => {
    await h.post('/_emulator/chaos', { concurrency: 4 });
    let inFlight = 0;
    let most = 0;
    h.receiver.respond = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 60));
      inFlight -= 1;
      return 200;
    };
    for (let i = 0; i < 8; i++) await h.stripe.customers.create();
    await h.flush();
    expect(h.receiver.deliveries).toHaveLength(8);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('injects delivery failures (500s and timeouts) that Stripe then retries', async () => {
    await h.post('/_emulator/chaos', { failRate: 1 });
    for (let i = 0; i < 6; i++) await h.stripe.customers.create();
    await h.flush();
    const log = (
      (await (await fetch(`${h.emulator.url}/_emulator/deliveries`)).json()) as {
        data: Array<{ status: string; status_code: number | null; error: string | null }>;
      }
    ).data;
    expect(log.length).toBe(18); // 6 events x 3 attempts (the harness retries twice)
    expect(log.every((entry) => entry.status !== 'succeeded')).toBe(true);
    expect(log.some((entry) => entry.status_code === 500 || entry.error?.includes('Timed out'))).toBe(true);
  });

  it('holds a chosen event until it is released', async () => {
    await h.post('/_emulator/chaos', { hold: ['customer.created'] });
    const customer = await h.stripe.customers.create();
    await h.stripe.customers.update(customer.id, { name: 'After' });
    await h.flush();
    expect(h.receiver.types()).toEqual(['customer.updated']);
    const held = await h.post('/_emulator/chaos/release', {});
    expect(held.body).toMatchObject({ released: 1, held: [] });
    await h.flush();
    expect(h.receiver.types()).toEqual(['customer.updated', 'customer.created']);
  });

  it('delays deliveries and can be turned off again', async () => {
    await h.post('/_emulator/chaos', { delayMs: [150, 200] });
    const started = Date.now();
    await h.stripe.customers.create();
    await h.flush();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const off = await h.post('/_emulator/chaos', {});
    expect(off.body).toMatchObject({ duplicate: 0, reorder: false, delayMs: [0, 0] });
  });

  it('takes chaos as a startEmulator option', async () => {
    const harness = await createHarness({ chaos: { duplicate: 1 } });
    try {
      await harness.stripe.customers.create();
      await harness.flush();
      expect(harness.receiver.deliveries).toHaveLength(2);
    } finally {
      await harness.close();
    }
  });

  it('reports when deliveries are still pending after the flush timeout', async () => {
    h.receiver.respond = async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return 200;
    };
    await h.stripe.customers.create();
    const busy = await h.post('/_emulator/flush', { timeout_ms: 50 });
    expect(busy.status).toBe(504);
    expect(busy.body).toMatchObject({ idle: false });
    const idle = await fetch(`${h.emulator.url}/_emulator/idle?timeout_ms=5000`);
    expect(idle.status).toBe(200);
  });
});
