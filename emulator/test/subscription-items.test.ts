import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  advance,
  DAY,
  eventsOf,
  expectEvents,
  settle,
  harnessWithCatalog,
  basicTenDaysIn,
  CHARGED_INVOICE_EVENTS,
} from './billing-helpers';
import { stripeError } from './helpers';

const { h, plans } = harnessWithCatalog();
let seats: Stripe.Price;

beforeEach(async () => {
  const product = await h.stripe.products.create({ name: 'Seats' });
  seats = await h.stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: 500,
    recurring: { interval: 'month' },
    lookup_key: 'seat_monthly',
  });
  const reports = await h.stripe.entitlements.features.create({ lookup_key: 'reports', name: 'Reports' });
  await h.stripe.products.createFeature(product.id, { entitlement_feature: reports.id });
  await settle(h);
});

const tenDaysIn = () => basicTenDaysIn(h, plans);

const seatCharge = (quantity: number) => Math.round((500 * quantity * 21) / 31);

describe('subscription_items', () => {
  it('adds an item with a proration, lists, retrieves and updates it, and deletes it with a credit', async () => {
    const { customer, sub, now, end } = await tenDaysIn();
    const item = await h.stripe.subscriptionItems.create({
      subscription: sub.id,
      price: seats.id,
      quantity: 2,
    });
    expect(item).toMatchObject({
      object: 'subscription_item',
      subscription: sub.id,
      quantity: 2,
      price: { id: seats.id },
      current_period_end: end,
    });
    let events = await expectEvents(h, [
      'invoiceitem.created',
      'customer.subscription.updated',
      'entitlements.active_entitlement_summary.updated',
    ]);
    const [updated] = eventsOf(events, 'customer.subscription.updated');
    expect(updated?.data.object.items.data.map((i) => i.price.id)).toEqual([plans.basic.id, seats.id]);
    expect(updated?.data.previous_attributes).toHaveProperty('items');
    const [summary] = eventsOf(events, 'entitlements.active_entitlement_summary.updated');
    expect(summary?.data.object.entitlements.data.map((e) => e.lookup_key)).toEqual(['reports']);

    const pending = await h.stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data.map((i) => [i.amount, i.description, i.period])).toEqual([
      [seatCharge(2), 'Remaining time on 2 × Seats after January 16, 2031', { start: now, end }],
    ]);
    expect((await h.stripe.subscriptionItems.list({ subscription: sub.id })).data.map((i) => i.id)).toEqual([
      sub.items.data[0]!.id,
      item.id,
    ]);
    expect(await h.stripe.subscriptionItems.retrieve(item.id)).toMatchObject({ id: item.id, quantity: 2 });

    const three = await h.stripe.subscriptionItems.update(item.id, {
      quantity: 3,
      proration_behavior: 'none',
    });
    expect(three.quantity).toBe(3);
    await settle(h);

    expect(await h.stripe.subscriptionItems.del(item.id)).toEqual({
      id: item.id,
      object: 'subscription_item',
      deleted: true,
    });
    events = await expectEvents(h, [
      'invoiceitem.created',
      'customer.subscription.updated',
      'entitlements.active_entitlement_summary.updated',
    ]);
    const after = await h.stripe.subscriptions.retrieve(sub.id);
    expect(after.items.data.map((i) => i.price.id)).toEqual([plans.basic.id]);
    const credits = (await h.stripe.invoiceItems.list({ customer: customer.id, pending: true })).data;
    expect(credits.map((i) => [i.amount, i.description])).toContainEqual([
      -seatCharge(3),
      'Unused time on 3 × Seats after January 16, 2031',
    ]);
    expect((await stripeError(h.stripe.subscriptionItems.retrieve(item.id))).statusCode).toBe(404);
    const summaries = eventsOf(events, 'entitlements.active_entitlement_summary.updated');
    expect(summaries.at(-1)?.data.object.entitlements.data).toEqual([]);
  });

  it('bills an added item at once with always_invoice, and not at all with none', async () => {
    const { sub } = await tenDaysIn();
    const item = await h.stripe.subscriptionItems.create({
      subscription: sub.id,
      price: seats.id,
      proration_behavior: 'always_invoice',
    });
    const current = await h.stripe.subscriptions.retrieve(sub.id);
    const invoice = await h.stripe.invoices.retrieve(String(current.latest_invoice));
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_update',
      status: 'paid',
      total: seatCharge(1),
    });
    await settle(h);
    await h.stripe.subscriptionItems.del(item.id, { proration_behavior: 'none' });
    await expectEvents(h, [
      'customer.subscription.updated',
      'entitlements.active_entitlement_summary.updated',
    ]);
  });

  it('refuses what Stripe refuses, changing nothing', async () => {
    const { sub } = await tenDaysIn();
    const only = sub.items.data[0]!.id;
    const last = await stripeError(h.stripe.subscriptionItems.del(only));
    expect(last).toMatchObject({ statusCode: 400 });
    expect(last.message).toMatch(/at least one active plan/);
    const twice = await stripeError(
      h.stripe.subscriptionItems.create({ subscription: sub.id, price: plans.basic.id }),
    );
    expect(twice.message).toBe(
      `Cannot add multiple subscription items with the same plan: ${plans.basic.id}`,
    );
    const yearly = await stripeError(
      h.stripe.subscriptionItems.create({ subscription: sub.id, price: plans.proYearly.id }),
    );
    expect(yearly.message).toMatch(/same `recurring.interval` and currency/);
    const usage = await stripeError(h.stripe.subscriptionItems.del(only, { clear_usage: true }));
    expect(usage.param).toBe('clear_usage');
    expect((await stripeError(h.stripe.subscriptionItems.retrieve('si_missing'))).statusCode).toBe(404);
    expect(
      (await stripeError(h.stripe.subscriptionItems.list({ subscription: 'sub_missing' }))).statusCode,
    ).toBe(400);
    expect((await h.stripe.subscriptions.retrieve(sub.id)).items.data.map((i) => i.id)).toEqual([only]);
    await expectEvents(h, []);
  });
});

describe('items on a subscription update', () => {
  it('adds and removes items in one update: one event, one set of prorations', async () => {
    const { customer, sub } = await tenDaysIn();
    const basicItem = sub.items.data[0]!.id;
    const added = await h.stripe.subscriptions.update(sub.id, { items: [{ price: seats.id, quantity: 2 }] });
    const seatItem = added.items.data.find((i) => i.price.id === seats.id)!;
    await settle(h);
    // Replace Basic by Pro as a new item, and drop the seats: what remains is Pro alone.
    const replaced = await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: basicItem, deleted: true }, { price: plans.pro.id }, { id: seatItem.id, deleted: true }],
      proration_behavior: 'always_invoice',
    });
    expect(replaced.items.data.map((i) => i.price.id)).toEqual([plans.pro.id]);
    const events = await expectEvents(h, [
      'invoiceitem.created',
      'customer.subscription.updated',
      'entitlements.active_entitlement_summary.updated',
      ...CHARGED_INVOICE_EVENTS,
    ]);
    expect(eventsOf(events, 'customer.subscription.updated')).toHaveLength(1);
    expect(eventsOf(events, 'invoice.created')).toHaveLength(1);
    const invoice = await h.stripe.invoices.retrieve(String(replaced.latest_invoice));
    const proCharge = Math.round((3000 * 21) / 31);
    const basicCredit = -Math.round((1000 * 21) / 31);
    // The seats' pending charge (added earlier) and their credit now cancel out on this invoice.
    expect(invoice.lines.data.map((l) => l.amount).sort((a, b) => a - b)).toEqual(
      [proCharge, basicCredit, seatCharge(2), -seatCharge(2)].sort((a, b) => a - b),
    );
    expect(invoice.total).toBe(proCharge + basicCredit);
    expect((await h.stripe.invoiceItems.list({ customer: customer.id, pending: true })).data).toEqual([]);
  });

  it('refuses removing every item, an unknown item id and clear_usage, before changing anything', async () => {
    const { sub } = await tenDaysIn();
    const only = sub.items.data[0]!.id;
    const all = await stripeError(
      h.stripe.subscriptions.update(sub.id, { items: [{ id: only, deleted: true }], metadata: { a: 'b' } }),
    );
    expect(all.message).toMatch(/at least one active plan/);
    const unknown = await stripeError(
      h.stripe.subscriptions.update(sub.id, { items: [{ id: 'si_other', deleted: true }] }),
    );
    expect(unknown.param).toBe('items[0][id]');
    const usage = await stripeError(
      h.stripe.subscriptions.update(sub.id, { items: [{ id: only, deleted: true, clear_usage: true }] }),
    );
    expect(usage.param).toBe('items[0][clear_usage]');
    const current = await h.stripe.subscriptions.retrieve(sub.id);
    expect(current.metadata).toEqual({});
    expect(current.items.data.map((i) => i.id)).toEqual([only]);
    await expectEvents(h, []);
  });

  it('renews every item: the next cycle invoice bills the plan and the seats', async () => {
    const { clock, sub, end } = await tenDaysIn();
    await h.stripe.subscriptions.update(sub.id, {
      items: [{ price: seats.id, quantity: 3 }],
      proration_behavior: 'none',
    });
    await advance(h, clock, end - (clock.frozen_time + 10 * DAY) + 60 * 60 + 60); // past the draft hour
    const renewed = await h.stripe.subscriptions.retrieve(sub.id);
    const invoice = await h.stripe.invoices.retrieve(String(renewed.latest_invoice));
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_cycle',
      total: 1000 + 3 * 500,
      status: 'paid',
    });
  });
});
