import fc from 'fast-check';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { accessOf } from '@/lib/billing/entitlements';
import { reconcileCustomer } from '@/lib/billing/reconcile';
import { stripe } from '@/lib/billing/stripe';
import { processEvent } from '@/lib/billing/webhooks/process';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { db } from '@/lib/db';
import { createUser, customerOnClock, eventsOfCustomer, priceId } from '@/lib/testing/fixtures';
import { signedRequest } from '@/lib/testing/webhooks';

// A subscription's items are mirrored as one snapshot (issue #12): items added and removed at
// Stripe, events delivered shuffled and duplicated, and the mirror ends equal to Stripe's items,
// with the plan and entitlements the app derives from them.

/** A recurring add-on (not a plan) whose product grants `priority_support`. */
async function seatAddOn(): Promise<string> {
  const s = stripe();
  const product = await s.products.create({ name: 'Extra seat' });
  const feature = (await s.entitlements.features.list({ lookup_key: 'priority_support', limit: 1 })).data[0];
  if (!feature) throw new Error('catalog feature priority_support missing');
  await s.products.createFeature(product.id, { entitlement_feature: feature.id });
  const price = await s.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: 500,
    recurring: { interval: 'month' },
  });
  return price.id;
}

async function stripeItems(subscriptionId: string) {
  const items = await stripe().subscriptionItems.list({ subscription: subscriptionId, limit: 100 });
  return items.data.map((i) => ({ id: i.id, priceId: i.price.id, quantity: i.quantity ?? 1 })).sort(byId);
}

// Plain code-unit order on both sides: PostgreSQL's collation and localeCompare disagree on case.
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

async function mirroredItems(subscriptionId: string) {
  const rows = await db.subscriptionItem.findMany({
    where: { subscriptionId },
    select: { id: true, priceId: true, quantity: true },
  });
  return rows.sort(byId);
}

const features = async (customerId: string) =>
  (await db.entitlement.findMany({ where: { customerId }, orderBy: { lookupKey: 'asc' } })).map(
    (e) => e.lookupKey,
  );

const stripeFeatures = async (customerId: string) =>
  (await stripe().entitlements.activeEntitlements.list({ customer: customerId, limit: 100 })).data
    .map((e) => e.lookup_key)
    .sort();

async function record(events: Stripe.Event[]) {
  for (const event of events) {
    const response = await receiveWebhook(signedRequest(JSON.stringify(event)));
    expect(response.status).toBe(200);
  }
}

async function wipe(owner: { id: string; workspaceId: string }, eventIds: string[]) {
  const { workspaceId } = owner;
  await db.$transaction([
    db.creditLedger.deleteMany({ where: { workspaceId } }),
    db.payment.deleteMany({ where: { workspaceId } }),
    db.customer.deleteMany({ where: { workspaceId } }),
    db.workspace.update({ where: { id: workspaceId }, data: { creditBalance: 0 } }),
    db.webhookEvent.deleteMany({ where: { id: { in: eventIds } } }),
  ]);
}

/** Starter, plus seats added day 1, more seats day 2, seats removed day 3, then Starter → Pro as a new item. */
async function itemLife() {
  const user = await createUser();
  const { customer, advanceDays } = await customerOnClock(user.id);
  const s = stripe();
  const seat = await seatAddOn();
  const subscription = await s.subscriptions.create({
    customer: customer.id,
    items: [{ price: await priceId('starter_monthly') }],
  });
  const starterItem = subscription.items.data[0]!.id;
  await advanceDays(1);
  const seats = await s.subscriptionItems.create({ subscription: subscription.id, price: seat, quantity: 2 });
  await advanceDays(1);
  await s.subscriptionItems.update(seats.id, { quantity: 3 });
  await advanceDays(1);
  await s.subscriptionItems.del(seats.id);
  await advanceDays(1);
  await s.subscriptions.update(subscription.id, {
    items: [{ id: starterItem, deleted: true }, { price: await priceId('pro_monthly') }],
    proration_behavior: 'none',
  });
  return { user, customer, subscription, seat };
}

describe('subscription items as a whole snapshot', () => {
  it('ends equal to Stripe for any order and duplication of the events; a removed item stays removed', async () => {
    const { user, customer, subscription } = await itemLife();
    const events = await eventsOfCustomer(customer.id);
    const updates = events.filter((e) => e.type === 'customer.subscription.updated');
    expect(updates.length).toBeGreaterThanOrEqual(4);
    const expected = await stripeItems(subscription.id);
    expect(expected).toHaveLength(1);

    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(events, { minLength: events.length }),
        fc.array(fc.nat(events.length - 1), { maxLength: events.length }),
        async (order, dupes) => {
          await wipe(
            user,
            events.map((e) => e.id),
          );
          const deliveries = [...order, ...dupes.map((i) => order[i]!)];
          await record(deliveries);
          for (const event of deliveries) expect(await processEvent(event.id)).not.toBe('failed');
          expect(await mirroredItems(subscription.id)).toEqual(expected);
          const row = await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
          expect(row).toMatchObject({ planKey: 'pro', priceId: await priceId('pro_monthly'), quantity: 1 });
          expect(await features(customer.id)).toEqual(await stripeFeatures(customer.id));
        },
      ),
      { numRuns: 8, seed: 1212 },
    );
  });

  it('a late event that still had the removed item brings nothing back; reconcile agrees', async () => {
    const user = await createUser();
    const { customer, advanceDays } = await customerOnClock(user.id);
    const s = stripe();
    const seat = await seatAddOn();
    const subscription = await s.subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('starter_monthly') }],
    });
    await advanceDays(1);
    const seats = await s.subscriptionItems.create({ subscription: subscription.id, price: seat });
    const withSeats = await eventsOfCustomer(customer.id);
    await advanceDays(1);
    await s.subscriptions.update(subscription.id, { items: [{ id: seats.id, deleted: true }] });
    const all = await eventsOfCustomer(customer.id);
    const late = withSeats.filter(
      (e) => e.type.startsWith('customer.subscription.') || e.type.startsWith('entitlements.'),
    );
    const rest = all.filter((e) => !late.some((l) => l.id === e.id));

    await record(rest);
    for (const event of rest) await processEvent(event.id);
    expect((await mirroredItems(subscription.id)).map((i) => i.priceId)).toEqual([
      await priceId('starter_monthly'),
    ]);
    // The user notices: a starter customer without seats has no priority support.
    expect((await accessOf(user.workspaceId)).keys).not.toContain('priority_support');

    await record(late); // held back, then delivered after the removal
    for (const event of late) await processEvent(event.id);
    expect(await mirroredItems(subscription.id)).toEqual(await stripeItems(subscription.id));
    expect((await accessOf(user.workspaceId)).keys).not.toContain('priority_support');

    await reconcileCustomer(customer.id);
    expect(await mirroredItems(subscription.id)).toEqual(await stripeItems(subscription.id));
    expect(await features(customer.id)).toEqual(await stripeFeatures(customer.id));
  });

  it('reconcile repairs a mirror that missed every item change, and keeps the plan from the plan item', async () => {
    const user = await createUser();
    const { customer } = await customerOnClock(user.id);
    const s = stripe();
    const seat = await seatAddOn();
    const subscription = await s.subscriptions.create({
      customer: customer.id,
      items: [{ price: seat, quantity: 4 }, { price: await priceId('starter_monthly') }],
    });
    await reconcileCustomer(customer.id); // no webhook delivered at all
    expect(await mirroredItems(subscription.id)).toEqual(await stripeItems(subscription.id));
    const row = await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    // The add-on comes first in Stripe's list; the plan still comes from the Starter item.
    expect(row).toMatchObject({ planKey: 'starter', priceLookupKey: 'starter_monthly', quantity: 1 });
    expect((await accessOf(user.workspaceId)).keys.sort()).toEqual(['premium_reports', 'priority_support']);
  });
});
