import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  advance,
  DAY,
  eventsOf,
  expectEvents,
  period,
  settle,
  subscriber,
  testClock,
  harnessWithCatalog,
} from './billing-helpers';
import { stripeError } from './helpers';

const { h, plans } = harnessWithCatalog();
let reports: Stripe.Entitlements.Feature;
let api: Stripe.Entitlements.Feature;

beforeEach(async () => {
  reports = await h.stripe.entitlements.features.create({ lookup_key: 'reports', name: 'Reports' });
  api = await h.stripe.entitlements.features.create({
    lookup_key: 'api',
    name: 'API access',
    metadata: { tier: 'pro' },
  });
  await h.stripe.products.createFeature(plans.basicProduct, { entitlement_feature: reports.id });
  await h.stripe.products.createFeature(plans.proProduct, { entitlement_feature: reports.id });
  await h.stripe.products.createFeature(plans.proProduct, { entitlement_feature: api.id });
  await settle(h);
});

async function keys(customer: string): Promise<string[]> {
  return (await h.stripe.entitlements.activeEntitlements.list({ customer })).data.map((e) => e.lookup_key);
}

function summaries(events: Stripe.Event[]): string[][] {
  return eventsOf(events, 'entitlements.active_entitlement_summary.updated').map((e) =>
    e.data.object.entitlements.data.map((x) => x.lookup_key),
  );
}

describe('features and product features', () => {
  it('creates, updates, lists and attaches features', async () => {
    expect(reports).toMatchObject({
      object: 'entitlements.feature',
      lookup_key: 'reports',
      name: 'Reports',
      active: true,
      metadata: {},
    });
    expect(reports.id).toMatch(/^feat_/);
    expect(await h.stripe.entitlements.features.retrieve(api.id)).toMatchObject({
      metadata: { tier: 'pro' },
    });
    expect(
      await h.stripe.entitlements.features.update(api.id, { name: 'API', metadata: { tier: '' } }),
    ).toMatchObject({ name: 'API', metadata: {} });
    expect((await h.stripe.entitlements.features.list({ lookup_key: 'api' })).data.map((f) => f.id)).toEqual([
      api.id,
    ]);
    expect(
      await stripeError(h.stripe.entitlements.features.create({ lookup_key: 'api', name: 'Again' })),
    ).toMatchObject({ param: 'lookup_key' });
    const attached = (await h.stripe.products.listFeatures(plans.proProduct)).data;
    expect(attached.map((f) => [f.object, f.entitlement_feature.lookup_key])).toEqual([
      ['product_feature', 'reports'],
      ['product_feature', 'api'],
    ]);
    expect(
      await stripeError(h.stripe.products.createFeature(plans.proProduct, { entitlement_feature: api.id })),
    ).toMatchObject({ statusCode: 400 });
    const removed = await h.stripe.products.deleteFeature(plans.proProduct, attached[1]?.id ?? '');
    expect(removed).toEqual({ id: attached[1]?.id, object: 'product_feature', deleted: true });
    expect((await h.stripe.products.listFeatures(plans.proProduct)).data).toHaveLength(1);
    await h.stripe.entitlements.features.update(api.id, { active: false });
    expect((await h.stripe.entitlements.features.list({ archived: true })).data.map((f) => f.id)).toEqual([
      api.id,
    ]);
    expect((await h.stripe.entitlements.features.list({ archived: false })).data.map((f) => f.id)).toEqual([
      reports.id,
    ]);
    expect((await h.stripe.entitlements.features.list()).data).toHaveLength(2);
  });
});

describe('active entitlements follow the subscription status', () => {
  it('grant with trialing/active/past_due and end with cancellation', async () => {
    const clock = await testClock(h);
    const customer = await subscriber(h, { clock: clock.id });
    await settle(h);
    expect(await keys(customer.id)).toEqual([]);
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
      trial_period_days: 3,
    });
    expect(await keys(customer.id)).toEqual(['api', 'reports']);
    let events = await expectEvents(h, [
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.created',
      'entitlements.active_entitlement_summary.updated',
    ]);
    expect(summaries(events)).toEqual([['api', 'reports']]);
    const [entitlement] = (await h.stripe.entitlements.activeEntitlements.list({ customer: customer.id }))
      .data;
    expect(entitlement).toMatchObject({
      object: 'entitlements.active_entitlement',
      feature: api.id,
      lookup_key: 'api',
      livemode: false,
    });
    expect(await h.stripe.entitlements.activeEntitlements.retrieve(entitlement?.id ?? '')).toEqual(
      entitlement,
    );

    // The trial ends and the card fails: past_due keeps the features.
    const pm = await h.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    await settle(h);
    await advance(h, clock, 3 * DAY + 60 * 60 + 60); // past the renewal draft's hour
    expect((await h.stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');
    expect(await keys(customer.id)).toEqual(['api', 'reports']);
    events = await expectEvents(h, [
      'test_helpers.test_clock.advancing',
      'customer.subscription.trial_will_end',
      'customer.subscription.updated',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'test_helpers.test_clock.ready',
    ]);
    await settle(h);

    await h.stripe.subscriptions.cancel(sub.id);
    expect(await keys(customer.id)).toEqual([]);
    events = await expectEvents(h, [
      'customer.subscription.deleted',
      'entitlements.active_entitlement_summary.updated',
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'customer.subscription.deleted',
      'entitlements.active_entitlement_summary.updated',
    ]);
    expect(summaries(events)).toEqual([[]]);
    expect(events[1]?.created).toBe(clock.frozen_time + 3 * DAY + 60 * 60 + 60);
  });

  it('grant nothing while incomplete, and follow plan switches and product changes', async () => {
    const customer = await subscriber(h, { card: 'pm_card_chargeCustomerFail' });
    await settle(h);
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.basic.id }],
    });
    expect(sub.status).toBe('incomplete');
    expect(await keys(customer.id)).toEqual([]);
    const visa = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await h.stripe.invoices.pay(String(sub.latest_invoice), { payment_method: visa.id });
    expect(await keys(customer.id)).toEqual(['reports']);
    await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]?.id ?? '', price: plans.pro.id }],
      proration_behavior: 'none',
    });
    expect(await keys(customer.id)).toEqual(['api', 'reports']);
    const [reportsOnPro] = (await h.stripe.products.listFeatures(plans.proProduct)).data;
    await h.stripe.products.deleteFeature(plans.proProduct, reportsOnPro?.id ?? '');
    expect(await keys(customer.id)).toEqual(['api']);
    await h.stripe.entitlements.features.update(api.id, { active: false });
    expect(await keys(customer.id)).toEqual([]);
    const events = await h.flush().then(() => h.receiver.deliveries.map((d) => d.event));
    expect(summaries(events)).toEqual([['reports'], ['api', 'reports'], ['api'], []]);
    expect(period(sub).end).toBeGreaterThan(sub.created);
  });

  it('answers Stripe errors for a missing customer', async () => {
    expect(
      await stripeError(h.stripe.entitlements.activeEntitlements.list({ customer: 'cus_missing' })),
    ).toMatchObject({ code: 'resource_missing', param: 'customer' });
  });
});
