import { describe, expect, it } from 'vitest';
import {
  advance,
  DAY,
  eventsOf,
  expectEvents,
  period,
  settle,
  testClock,
  basicTenDaysIn,
  CHARGE,
  CREDIT,
  harnessWithCatalog,
  CHARGED_INVOICE_EVENTS,
} from './billing-helpers';
import { stripeError } from './helpers';

const { h, plans } = harnessWithCatalog();

const tenDaysIn = () => basicTenDaysIn(h, plans);

describe('plan switches', () => {
  it('invoices the proration at once with always_invoice', async () => {
    const { sub, item, now, end } = await tenDaysIn();
    const updated = await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, price: plans.pro.id }],
      proration_behavior: 'always_invoice',
    });
    expect(updated.items.data[0]).toMatchObject({
      id: item.id,
      price: { id: plans.pro.id },
      current_period_end: end,
    });
    const invoice = await h.stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_update',
      status: 'paid',
      subtotal: CREDIT + CHARGE,
      total: 1355,
      amount_paid: 1355,
      created: now,
    });
    expect(invoice.lines.data.map((l) => [l.amount, l.description, l.period])).toEqual([
      [CREDIT, 'Unused time on 1 × Basic after January 16, 2031', { start: now, end }],
      [CHARGE, 'Remaining time on 1 × Pro after January 16, 2031', { start: now, end }],
    ]);
    expect(invoice.lines.data[0]?.parent).toMatchObject({
      type: 'subscription_item_details',
      subscription_item_details: { proration: true, subscription_item: item.id },
    });
    const events = await expectEvents(h, [
      'invoiceitem.created',
      'customer.subscription.updated',
      ...CHARGED_INVOICE_EVENTS,
    ]);
    const change = eventsOf(events, 'customer.subscription.updated')[0];
    expect(change?.created).toBe(now);
    expect(change?.data.previous_attributes).toHaveProperty('items');
    expect(change?.data.previous_attributes).toHaveProperty('latest_invoice');
  });

  it('adds prorations to the next renewal by default', async () => {
    const { clock, sub, item, end } = await tenDaysIn();
    const updated = await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, price: plans.pro.id }],
    });
    expect(updated.latest_invoice).toBe(sub.latest_invoice);
    const pending = (await h.stripe.invoiceItems.list({ customer: String(sub.customer), pending: true }))
      .data;
    expect(pending.map((i) => i.amount).sort((a, b) => a - b)).toEqual([CREDIT, CHARGE]);
    expect(pending.every((i) => i.proration && i.invoice === null)).toBe(true);
    await advance(h, clock, end - clock.frozen_time - 10 * DAY + 60 * 60 + 60); // past the draft hour
    const renewal = await h.stripe.invoices.retrieve(
      String((await h.stripe.subscriptions.retrieve(sub.id)).latest_invoice),
    );
    expect(renewal).toMatchObject({
      billing_reason: 'subscription_cycle',
      total: 3000 + CREDIT + CHARGE,
      status: 'paid',
    });
    expect(renewal.lines.data).toHaveLength(3);
  });

  it('starts a new period and bills it at once when the interval changes', async () => {
    const { sub, item, now } = await tenDaysIn();
    const updated = await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, price: plans.proYearly.id }],
    });
    expect(updated.billing_cycle_anchor).toBe(now);
    expect(period(updated)).toEqual({ start: now, end: Date.UTC(2032, 0, 16) / 1000 });
    const invoice = await h.stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_update',
      total: 30000 + CREDIT,
      status: 'paid',
    });
  });

  it('changes the price without prorations with proration_behavior none', async () => {
    const { sub, item } = await tenDaysIn();
    await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, price: plans.pro.id }],
      proration_behavior: 'none',
    });
    expect((await h.stripe.invoiceItems.list({ customer: String(sub.customer) })).data).toHaveLength(0);
    await expectEvents(h, ['customer.subscription.updated']);
  });

  it('refuses items of other subscriptions, and unknown prices', async () => {
    const { sub, item } = await tenDaysIn();
    expect(
      await stripeError(
        h.stripe.subscriptions.update(sub.id, { items: [{ id: 'si_other', price: plans.pro.id }] }),
      ),
    ).toMatchObject({ param: 'items[0][id]' });
    expect(
      await stripeError(
        h.stripe.subscriptions.update(sub.id, { items: [{ id: item.id, price: 'price_nope' }] }),
      ),
    ).toMatchObject({ code: 'resource_missing' });
  });
});

describe('cancellation', () => {
  it('cancels at the period end, and can be resumed before that', async () => {
    const { clock, sub, now, end } = await tenDaysIn();
    const canceling = await h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect(canceling).toMatchObject({
      status: 'active',
      cancel_at_period_end: true,
      cancel_at: end,
      canceled_at: now,
      cancellation_details: { reason: 'cancellation_requested' },
    });
    let events = await expectEvents(h, ['customer.subscription.updated']);
    expect(eventsOf(events, 'customer.subscription.updated')[0]?.data.previous_attributes).toEqual({
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      cancellation_details: { reason: null },
    });
    await settle(h);
    const resumed = await h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: false });
    expect(resumed).toMatchObject({ cancel_at_period_end: false, cancel_at: null, canceled_at: null });
    await h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    await settle(h);

    await advance(h, clock, end - now + 60);
    const ended = await h.stripe.subscriptions.retrieve(sub.id);
    expect(ended).toMatchObject({ status: 'canceled', ended_at: end });
    expect((await h.stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);
    events = await expectEvents(h, [
      'test_helpers.test_clock.advancing',
      'customer.subscription.deleted',
      'test_helpers.test_clock.ready',
    ]);
    expect(eventsOf(events, 'customer.subscription.deleted')[0]?.created).toBe(end);
    expect(
      await stripeError(h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: false })),
    ).toMatchObject({ statusCode: 400 });
  });

  it('cancels now, optionally crediting unused time to the customer balance', async () => {
    const { sub, customer } = await tenDaysIn();
    const canceled = await h.stripe.subscriptions.cancel(sub.id, { prorate: true, invoice_now: true });
    expect(canceled).toMatchObject({ status: 'canceled', cancel_at_period_end: false });
    expect(canceled.ended_at).toBe(canceled.canceled_at);
    const invoices = (await h.stripe.invoices.list({ subscription: sub.id })).data;
    expect(invoices[0]).toMatchObject({
      total: CREDIT,
      amount_due: 0,
      status: 'paid',
      ending_balance: CREDIT,
    });
    expect(await h.stripe.customers.retrieve(customer.id)).toMatchObject({ balance: CREDIT });
    await expectEvents(h, [
      'invoiceitem.created',
      'invoice.created',
      'customer.updated',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.deleted',
    ]);
    expect(await stripeError(h.stripe.subscriptions.cancel(sub.id))).toMatchObject({ statusCode: 400 });
    expect((await h.stripe.subscriptions.list({ status: 'canceled' })).data.map((s) => s.id)).toEqual([
      sub.id,
    ]);
  });

  it('cancels the subscriptions of a deleted customer', async () => {
    const { sub, customer } = await tenDaysIn();
    await h.stripe.customers.del(customer.id);
    expect(await h.stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: 'canceled' });
    const events = await expectEvents(h, ['customer.subscription.deleted', 'customer.deleted']);
    expect(events.map((e) => e.type)).toEqual(['customer.subscription.deleted', 'customer.deleted']);
  });

  it('cancels now without prorating by default', async () => {
    const { sub } = await tenDaysIn();
    await h.stripe.subscriptions.cancel(sub.id);
    await expectEvents(h, ['customer.subscription.deleted']);
  });
});

describe('pausing at trial end', () => {
  it('pauses a trial without a card and resumes once one is added', async () => {
    const clock = await testClock(h);
    const customer = await h.stripe.customers.create({ email: 'nocard@example.com', test_clock: clock.id });
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
      trial_period_days: 7,
      trial_settings: { end_behavior: { missing_payment_method: 'pause' } },
    });
    await advance(h, clock, 8 * DAY);
    expect((await h.stripe.subscriptions.retrieve(sub.id)).status).toBe('paused');
    expect(await stripeError(h.stripe.subscriptions.resume('sub_missing'))).toMatchObject({
      statusCode: 404,
    });
    const pm = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    await settle(h);
    const resumed = await h.stripe.subscriptions.resume(sub.id);
    expect(resumed.status).toBe('active');
    expect(period(resumed).start).toBe(clock.frozen_time + 8 * DAY);
    await expectEvents(h, [
      'customer.subscription.updated',
      'customer.subscription.resumed',
      ...CHARGED_INVOICE_EVENTS,
    ]);
    expect(await stripeError(h.stripe.subscriptions.resume(sub.id))).toMatchObject({ statusCode: 400 });
  });
});
