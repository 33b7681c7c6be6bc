import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
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
  basicOnClock,
  setDefaultCard,
  HOUR,
  CHARGED_INVOICE_EVENTS,
} from './billing-helpers';

const { h, plans } = harnessWithCatalog();

const subscribedOnClock = (card?: string) => basicOnClock(h, plans, card);

/** Switches the customer's default card to 4000 0000 0000 0341 (attaches, every charge fails). */
const failingCard = (customer: Stripe.Customer) =>
  setDefaultCard(h, customer.id, 'pm_card_chargeCustomerFail');

describe('renewals', () => {
  it('renews at the period end on a test clock, with events at the simulated time', async () => {
    const { clock, customer, sub } = await subscribedOnClock();
    expect(sub.created).toBe(clock.frozen_time);
    expect(sub.test_clock).toBe(clock.id);
    const { end } = period(sub);
    expect(end).toBe(Date.UTC(2031, 1, 6) / 1000);
    await settle(h);

    await advance(h, clock, 31 * DAY);
    const renewed = await h.stripe.subscriptions.retrieve(sub.id);
    expect(renewed.status).toBe('active');
    expect(period(renewed)).toEqual({ start: end, end: Date.UTC(2031, 2, 6) / 1000 });
    const invoices = (await h.stripe.invoices.list({ subscription: sub.id })).data;
    expect(invoices.map((i) => i.billing_reason)).toEqual(['subscription_cycle', 'subscription_create']);
    // The renewal invoice stays a draft for about an hour before it is finalized and charged
    // (https://docs.stripe.com/billing/invoices/subscription#subscription-renewal).
    const draft = invoices[0];
    expect(draft).toMatchObject({
      status: 'draft',
      amount_paid: 0,
      automatically_finalizes_at: end + HOUR,
      period_start: sub.created,
      period_end: end,
      created: end,
      test_clock: clock.id,
      customer: customer.id,
    });
    expect(renewed.latest_invoice).toBe(draft?.id);
    const atEnd = await expectEvents(h, [
      'test_helpers.test_clock.advancing',
      'invoice.upcoming',
      'customer.subscription.updated',
      'invoice.created',
      'test_helpers.test_clock.ready',
    ]);
    const upcoming = eventsOf(atEnd, 'invoice.upcoming')[0];
    expect(upcoming?.created).toBe(end - 7 * DAY);
    expect(upcoming?.data.object).not.toHaveProperty('id');
    expect(upcoming?.data.object).toMatchObject({
      object: 'invoice',
      billing_reason: 'upcoming',
      amount_due: 1000,
      next_payment_attempt: end,
    });
    const updated = eventsOf(atEnd, 'customer.subscription.updated')[0];
    expect(updated?.created).toBe(end);
    expect(updated?.request).toEqual({ id: null, idempotency_key: null });
    expect(updated?.data.previous_attributes).toHaveProperty('items');
    await settle(h);

    await advance(h, clock, HOUR);
    const cycle = await h.stripe.invoices.retrieve(String(draft?.id));
    expect(cycle).toMatchObject({
      status: 'paid',
      amount_paid: 1000,
      automatically_finalizes_at: null,
      status_transitions: { finalized_at: end + HOUR, paid_at: end + HOUR },
    });
    expect(cycle.lines.data[0]?.period).toEqual({ start: end, end: Date.UTC(2031, 2, 6) / 1000 });
    const events = await expectEvents(h, [
      'test_helpers.test_clock.advancing',
      // The draft was created an hour earlier (invoice.created); the rest of a charged invoice now.
      ...CHARGED_INVOICE_EVENTS.filter((type) => type !== 'invoice.created'),
      'test_helpers.test_clock.ready',
    ]);
    for (const type of ['invoice.paid', 'charge.succeeded', 'payment_intent.succeeded'] as const) {
      expect(eventsOf(events, type)[0]?.created).toBe(end + HOUR);
    }
  });

  it('renews customers on the emulator clock through /_emulator/clock/advance', async () => {
    const customer = await subscriber(h);
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
    });
    await settle(h);
    const { end } = period(sub);
    const answer = await h.post('/_emulator/clock/advance', { seconds: end - sub.created + DAY });
    expect(answer.status).toBe(200);
    const renewed = await h.stripe.subscriptions.retrieve(sub.id);
    expect(period(renewed).start).toBe(end);
    const events = await expectEvents(h, [
      'invoice.upcoming',
      'customer.subscription.updated',
      ...CHARGED_INVOICE_EVENTS,
    ]);
    expect(eventsOf(events, 'invoice.paid')[0]?.created).toBe(end + HOUR);
  });

  it('ends a trial: trial_will_end three days before, then the first charge', async () => {
    const clock = await testClock(h);
    const customer = await subscriber(h, { clock: clock.id });
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
      trial_period_days: 14,
    });
    await settle(h);
    await advance(h, clock, 15 * DAY);
    const active = await h.stripe.subscriptions.retrieve(sub.id);
    expect(active).toMatchObject({ status: 'active', trial_end: sub.created + 14 * DAY });
    expect(period(active).start).toBe(sub.created + 14 * DAY);
    const events = await expectEvents(h, [
      'test_helpers.test_clock.advancing',
      'customer.subscription.trial_will_end',
      'invoice.upcoming',
      'customer.subscription.updated',
      ...CHARGED_INVOICE_EVENTS,
      'test_helpers.test_clock.ready',
    ]);
    expect(eventsOf(events, 'customer.subscription.trial_will_end')[0]?.created).toBe(sub.created + 11 * DAY);
    const updated = eventsOf(events, 'customer.subscription.updated')[0];
    expect(updated?.data.previous_attributes).toMatchObject({ status: 'trialing' });
    expect(eventsOf(events, 'invoice.paid')[0]?.data.object).toMatchObject({
      billing_reason: 'subscription_cycle',
      amount_paid: 3000,
    });
  });
});

describe('failed renewals (dunning)', () => {
  it('goes past_due, retries after 3, 5 and 7 days on a custom schedule, then cancels', async () => {
    // https://docs.stripe.com/billing/revenue-recovery/smart-retries#custom-retry-schedule
    await h.post('/_emulator/settings', { dunning_retry_policy: 'custom' });
    const { clock, customer, sub } = await subscribedOnClock();
    await failingCard(customer);
    await settle(h);
    const { end } = period(sub);
    await advance(h, clock, end - clock.frozen_time + HOUR + 60);
    const pastDue = await h.stripe.subscriptions.retrieve(sub.id);
    expect(pastDue.status).toBe('past_due');
    const invoice = await h.stripe.invoices.retrieve(String(pastDue.latest_invoice));
    expect(invoice).toMatchObject({
      status: 'open',
      attempt_count: 1,
      attempted: true,
      next_payment_attempt: end + HOUR + 3 * DAY,
      billing_reason: 'subscription_cycle',
    });
    let events = await expectEvents(h, [
      'test_helpers.test_clock.advancing',
      'invoice.upcoming',
      'customer.subscription.updated',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'test_helpers.test_clock.ready',
    ]);
    const updates = eventsOf(events, 'customer.subscription.updated');
    expect(updates.map((e) => e.data.object.status)).toEqual(['active', 'past_due']);
    expect(updates[1]?.data.previous_attributes).toEqual({ status: 'active' });
    await settle(h);

    await advance(h, clock, 3 * DAY);
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      attempt_count: 2,
      next_payment_attempt: end + HOUR + 8 * DAY,
    });
    await advance(h, clock, 5 * DAY);
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      attempt_count: 3,
      next_payment_attempt: end + HOUR + 15 * DAY,
    });
    expect((await h.stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');
    await advance(h, clock, 7 * DAY);
    const canceled = await h.stripe.subscriptions.retrieve(sub.id);
    expect(canceled).toMatchObject({
      status: 'canceled',
      ended_at: end + HOUR + 15 * DAY,
      cancellation_details: { reason: 'payment_failed' },
    });
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'open',
      attempt_count: 4,
      next_payment_attempt: null,
    });
    events = await expectEvents(h, [
      'test_helpers.test_clock.advancing',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'customer.subscription.deleted',
      'test_helpers.test_clock.ready',
    ]);
    expect(eventsOf(events, 'invoice.payment_failed').map((e) => e.data.object.attempt_count)).toEqual([
      2, 3, 4,
    ]);
    expect(eventsOf(events, 'customer.subscription.deleted')[0]?.created).toBe(end + HOUR + 15 * DAY);
    expect(eventsOf(events, 'payment_intent.created')).toHaveLength(0);
    expect((await h.stripe.subscriptions.list({ customer: customer.id })).data).toHaveLength(0);
  });

  it('marks the subscription unpaid instead when the setting says so, and recovers when paid', async () => {
    expect(
      (
        await h.post('/_emulator/settings', {
          dunning_final_action: 'unpaid',
          dunning_retry_policy: 'custom',
          dunning_retry_days: [1, 2],
        })
      ).body,
    ).toMatchObject({ dunning_final_action: 'unpaid', dunning_retry_days: [1, 2] });
    const { clock, customer, sub } = await subscribedOnClock();
    await failingCard(customer);
    const { end } = period(sub);
    await advance(h, clock, end - clock.frozen_time + HOUR + 60);
    await settle(h);
    await advance(h, clock, 3 * DAY + 60);
    const unpaid = await h.stripe.subscriptions.retrieve(sub.id);
    expect(unpaid.status).toBe('unpaid');
    const events = await expectEvents(h, [
      'test_helpers.test_clock.advancing',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'customer.subscription.updated',
      'test_helpers.test_clock.ready',
    ]);
    expect(eventsOf(events, 'customer.subscription.updated')[0]?.data.previous_attributes).toEqual({
      status: 'past_due',
    });

    const visa = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const paid = await h.stripe.invoices.pay(String(unpaid.latest_invoice), { payment_method: visa.id });
    expect(paid).toMatchObject({ status: 'paid', attempt_count: 4 });
    expect((await h.stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
  });

  it('recovers on a retry once the customer has a working card', async () => {
    const { clock, customer, sub } = await subscribedOnClock();
    const bad = await failingCard(customer);
    await advance(h, clock, period(sub).end - clock.frozen_time + HOUR + 60);
    const visa = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
    expect(bad).not.toBe(visa.id);
    await settle(h);
    await advance(h, clock, 3 * DAY);
    const recovered = await h.stripe.subscriptions.retrieve(sub.id);
    expect(recovered.status).toBe('active');
    expect(await h.stripe.invoices.retrieve(String(recovered.latest_invoice))).toMatchObject({
      status: 'paid',
      attempt_count: 2,
    });
    const events = await expectEvents(h, [
      'test_helpers.test_clock.advancing',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.updated',
      'test_helpers.test_clock.ready',
    ]);
    expect(eventsOf(events, 'customer.subscription.updated')[0]?.data.previous_attributes).toEqual({
      status: 'past_due',
    });
  });
});
