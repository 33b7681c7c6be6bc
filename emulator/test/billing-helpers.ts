import type Stripe from 'stripe';
import { beforeEach, expect } from 'vitest';
import { type Harness, harnessPerTest } from './helpers';

export const HOUR = 60 * 60;
export const DAY = 24 * HOUR;

export interface Catalog {
  basic: Stripe.Price;
  pro: Stripe.Price;
  proYearly: Stripe.Price;
  basicProduct: string;
  proProduct: string;
}

/** Two plans (Basic $10/month, Pro $30/month or $300/year); webhook noise of setup dropped. */
export async function catalog(h: Harness): Promise<Catalog> {
  const basicProduct = await h.stripe.products.create({ name: 'Basic' });
  const proProduct = await h.stripe.products.create({ name: 'Pro' });
  const basic = await h.stripe.prices.create({
    product: basicProduct.id,
    currency: 'usd',
    unit_amount: 1000,
    recurring: { interval: 'month' },
    lookup_key: 'basic_monthly',
  });
  const pro = await h.stripe.prices.create({
    product: proProduct.id,
    currency: 'usd',
    unit_amount: 3000,
    recurring: { interval: 'month' },
    lookup_key: 'pro_monthly',
  });
  const proYearly = await h.stripe.prices.create({
    product: proProduct.id,
    currency: 'usd',
    unit_amount: 30000,
    recurring: { interval: 'year' },
  });
  await settle(h);
  return { basic, pro, proYearly, basicProduct: basicProduct.id, proProduct: proProduct.id };
}

/**
 * The usual header of a billing contract test: a fresh emulator per test with the two plans
 * already in it (their webhook noise dropped). `plans` reads the current test's catalog.
 */
export function harnessWithCatalog(): { h: Harness; plans: Catalog } {
  const h = harnessPerTest();
  let current: Catalog | null = null;
  beforeEach(async () => {
    current = await catalog(h);
  });
  const get = (): Catalog => {
    if (!current) throw new Error('catalog used outside a test');
    return current;
  };
  const plans: Catalog = {
    get basic() {
      return get().basic;
    },
    get pro() {
      return get().pro;
    },
    get proYearly() {
      return get().proYearly;
    },
    get basicProduct() {
      return get().basicProduct;
    },
    get proProduct() {
      return get().proProduct;
    },
  };
  return { h, plans };
}

/** What creating an invoice and charging it successfully announces, in delivery order. */
export const CHARGED_INVOICE_EVENTS = [
  'invoice.created',
  'invoice.finalized',
  'payment_intent.created',
  'charge.succeeded',
  'payment_intent.succeeded',
  'invoice_payment.paid',
  'invoice.paid',
  'invoice.payment_succeeded',
];

/** Waits for every delivery, then forgets them (so a test sees only what it caused). */
export async function settle(h: Harness): Promise<void> {
  await h.flush();
  h.receiver.deliveries.length = 0;
}

/** A customer with a card as default payment method, optionally on a test clock. */
export async function subscriber(
  h: Harness,
  options: { card?: string; clock?: string; email?: string } = {},
): Promise<Stripe.Customer> {
  const card = options.card ?? 'pm_card_visa';
  const customer = await h.stripe.customers.create({
    email: options.email ?? 'subscriber@example.com',
    payment_method: card,
    invoice_settings: { default_payment_method: card },
    ...(options.clock ? { test_clock: options.clock } : {}),
  });
  return customer;
}

/** Makes `card` (attached anew) the customer's default payment method; returns its id. */
export async function setDefaultCard(h: Harness, customer: string, card: string): Promise<string> {
  const pm = await h.stripe.paymentMethods.attach(card, { customer });
  await h.stripe.customers.update(customer, { invoice_settings: { default_payment_method: pm.id } });
  return pm.id;
}

/** A test clock frozen at a round time (a Monday, 2031-01-06 00:00 UTC) unless told. */
export async function testClock(
  h: Harness,
  frozen = Date.UTC(2031, 0, 6) / 1000,
): Promise<Stripe.TestHelpers.TestClock> {
  return h.stripe.testHelpers.testClocks.create({ frozen_time: frozen, name: 'contract test' });
}

/** Advances a test clock by some seconds and waits until it is ready. */
export async function advance(
  h: Harness,
  clock: Stripe.TestHelpers.TestClock,
  seconds: number,
): Promise<Stripe.TestHelpers.TestClock> {
  const current = await h.stripe.testHelpers.testClocks.retrieve(clock.id);
  await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: current.frozen_time + seconds });
  const ready = await h.stripe.testHelpers.testClocks.retrieve(clock.id);
  expect(ready.status).toBe('ready');
  return ready;
}

/**
 * Flushes and checks what was delivered: every delivery verified by constructEvent, and exactly
 * this set of event types. Returns the events in delivery order.
 */
export async function expectEvents(h: Harness, types: string[]): Promise<Stripe.Event[]> {
  await h.flush();
  const deliveries = h.receiver.deliveries;
  expect(
    deliveries.every((d) => d.verified),
    'every delivery verifies',
  ).toBe(true);
  expect([...new Set(deliveries.map((d) => d.event.type))].sort()).toEqual([...new Set(types)].sort());
  return deliveries.map((d) => d.event);
}

/** The events of one type, in delivery order. */
export function eventsOf<T extends Stripe.Event['type']>(
  events: Stripe.Event[],
  type: T,
): Array<Extract<Stripe.Event, { type: T }>> {
  return events.filter((e): e is Extract<Stripe.Event, { type: T }> => e.type === type);
}

/** A subscription's first item period. */
export function period(sub: Stripe.Subscription): { start: number; end: number } {
  const item = sub.items.data[0];
  if (!item) throw new Error('subscription has no items');
  return { start: item.current_period_start, end: item.current_period_end };
}

/** A subscriber paying with `card` on a fresh test clock, with an active Basic subscription ($10/month). */
export async function basicOnClock(h: Harness, plans: Catalog, card = 'pm_card_visa') {
  const clock = await testClock(h);
  const customer = await subscriber(h, { clock: clock.id, card });
  const sub = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: plans.basic.id }],
  });
  return { clock, customer, sub };
}

/** Basic ($10/month) from 2031-01-06 on a test clock, then 10 days later (21 of 31 days left). */
export async function basicTenDaysIn(h: Harness, plans: Catalog) {
  const { clock, customer, sub } = await basicOnClock(h, plans);
  await advance(h, clock, 10 * DAY);
  await settle(h);
  const item = sub.items.data[0];
  if (!item) throw new Error('no item');
  return { clock, customer, sub, item, now: clock.frozen_time + 10 * DAY, end: period(sub).end };
}

export const CREDIT = -Math.round((1000 * 21) / 31); // unused Basic: -677
export const CHARGE = Math.round((3000 * 21) / 31); // remaining Pro: 2032
