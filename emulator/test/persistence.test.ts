import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index';
import { Receiver, sdk, stripeError, harnessPerTest } from './helpers';

describe('persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stripe-emulator-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps state across a restart in its data file', async () => {
    const dataFile = join(dir, 'nested', 'state.json');
    const receiver = new Receiver();
    const url = await receiver.start();
    const first = await startEmulator({ port: 0, dataFile, quiet: true });
    const stripe = sdk(first.port);
    const customer = await stripe.customers.create({ email: 'kept@example.com' });
    const product = await stripe.products.create({
      name: 'Kept',
      default_price_data: { currency: 'usd', unit_amount: 999 },
    });
    const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ['customer.updated'] });
    receiver.secret = endpoint.secret ?? '';
    await first.close();
    expect(existsSync(dataFile)).toBe(true);
    expect(readdirSync(join(dir, 'nested')).filter((name) => name.includes('.tmp'))).toEqual([]);

    const second = await startEmulator({ port: 0, dataFile, quiet: true });
    try {
      const again = sdk(second.port);
      expect(await again.customers.retrieve(customer.id)).toMatchObject({ email: 'kept@example.com' });
      expect((await again.prices.list({ product: product.id })).data).toHaveLength(1);
      expect((await again.events.list()).data.map((e) => e.type)).toContain('customer.created');
      expect((await again.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([endpoint.id]);
      // The endpoint keeps its signing secret: the app's configured secret still verifies.
      await again.customers.update(customer.id, { name: 'Restarted' });
      await fetch(`${second.url}/_emulator/flush`, { method: 'POST' });
      expect(receiver.deliveries.map((d) => [d.event.type, d.verified])).toEqual([
        ['customer.updated', true],
      ]);
    } finally {
      await second.close();
      await receiver.stop();
    }
  });

  it('writes changes soon after they happen, not only on close', async () => {
    const dataFile = join(dir, 'state.json');
    const emulator = await startEmulator({ port: 0, dataFile, quiet: true });
    try {
      const customer = await sdk(emulator.port).customers.create();
      // Debounced by 100 ms, never later than a second.
      const deadline = Date.now() + 1500;
      while (
        !(existsSync(dataFile) && readFileSync(dataFile, 'utf8').includes(customer.id)) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(readFileSync(dataFile, 'utf8')).toContain(customer.id);
    } finally {
      await emulator.close();
    }
  });

  it('keeps subscriptions, invoices and test clocks across a restart, and bills them after it', async () => {
    const dataFile = join(dir, 'billing.json');
    const first = await startEmulator({ port: 0, dataFile, quiet: true });
    const stripe = sdk(first.port);
    const price = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 1200,
      recurring: { interval: 'month' },
      product_data: { name: 'Kept plan' },
    });
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: Date.UTC(2031, 0, 6) / 1000 });
    const customer = await stripe.customers.create({
      test_clock: clock.id,
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await first.close();

    const second = await startEmulator({ port: 0, dataFile, quiet: true });
    try {
      const again = sdk(second.port);
      expect(await again.subscriptions.retrieve(sub.id)).toMatchObject({
        status: 'active',
        test_clock: clock.id,
      });
      await again.testHelpers.testClocks.advance(clock.id, {
        frozen_time: clock.frozen_time + 32 * 24 * 3600,
      });
      const invoices = (await again.invoices.list({ subscription: sub.id })).data;
      expect(invoices.map((i) => [i.billing_reason, i.status, i.amount_paid])).toEqual([
        ['subscription_cycle', 'paid', 1200],
        ['subscription_create', 'paid', 1200],
      ]);
    } finally {
      await second.close();
    }
  });

  it('sets a corrupt data file aside and starts empty', async () => {
    const dataFile = join(dir, 'state.json');
    writeFileSync(dataFile, '{ not json');
    const emulator = await startEmulator({ port: 0, dataFile, quiet: true });
    try {
      expect((await sdk(emulator.port).customers.list()).data).toEqual([]);
      expect(readdirSync(dir).some((name) => name.startsWith('state.json.corrupt-'))).toBe(true);
    } finally {
      await emulator.close();
    }
  });
});

describe('reset', () => {
  const h = harnessPerTest();

  it('clears everything through POST /_emulator/reset', async () => {
    const customer = await h.stripe.customers.create({}, { idempotencyKey: 'before-reset' });
    await h.flush();
    const reset = await h.post('/_emulator/reset');
    expect(reset).toEqual({ status: 200, body: { ok: true } });
    expect((await stripeError(h.stripe.customers.retrieve(customer.id))).statusCode).toBe(404);
    expect((await h.stripe.events.list()).data).toEqual([]);
    expect((await h.stripe.webhookEndpoints.list()).data).toEqual([]);
    const log = (await (await fetch(`${h.emulator.url}/_emulator/deliveries`)).json()) as { data: unknown[] };
    expect(log.data).toEqual([]);
    // Idempotency keys are gone too: the same key now creates a new customer.
    const fresh = await h.stripe.customers.create({}, { idempotencyKey: 'before-reset' });
    expect(fresh.id).not.toBe(customer.id);
  });

  it('clears everything through reset() and persists the empty state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stripe-emulator-'));
    try {
      const dataFile = join(dir, 'state.json');
      const emulator = await startEmulator({ port: 0, dataFile, quiet: true });
      await sdk(emulator.port).customers.create();
      await emulator.reset();
      expect((await sdk(emulator.port).customers.list()).data).toEqual([]);
      await emulator.close();
      const restarted = await startEmulator({ port: 0, dataFile, quiet: true });
      expect((await sdk(restarted.port).customers.list()).data).toEqual([]);
      await restarted.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
