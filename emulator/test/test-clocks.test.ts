import { describe, expect, it } from 'vitest';
import { catalog, DAY, eventsOf, expectEvents, settle, subscriber, testClock } from './billing-helpers';
import { harnessPerTest, stripeError } from './helpers';

const h = harnessPerTest();

describe('test clocks', () => {
  it('are created, listed, advanced and deleted with their events', async () => {
    const frozen = Date.UTC(2030, 5, 1) / 1000;
    const clock = await testClock(h, frozen);
    expect(clock).toMatchObject({
      object: 'test_helpers.test_clock',
      frozen_time: frozen,
      status: 'ready',
      name: 'contract test',
      livemode: false,
      status_details: {},
    });
    expect(clock.id).toMatch(/^clock_/);
    expect(clock.deletes_after - clock.created).toBe(30 * DAY);
    expect((await h.stripe.testHelpers.testClocks.list()).data.map((c) => c.id)).toEqual([clock.id]);

    const customer = await h.stripe.customers.create({ email: 'clock@example.com', test_clock: clock.id });
    expect(customer).toMatchObject({ test_clock: clock.id, created: frozen });
    expect((await h.stripe.customers.list({ test_clock: clock.id })).data.map((c) => c.id)).toEqual([
      customer.id,
    ]);

    const advancing = await h.stripe.testHelpers.testClocks.advance(clock.id, {
      frozen_time: frozen + 2 * DAY,
    });
    expect(advancing).toMatchObject({
      status: 'advancing',
      status_details: { advancing: { target_frozen_time: frozen + 2 * DAY } },
    });
    expect(await h.stripe.testHelpers.testClocks.retrieve(clock.id)).toMatchObject({
      status: 'ready',
      frozen_time: frozen + 2 * DAY,
    });
    expect(
      await stripeError(h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: frozen })),
    ).toMatchObject({ param: 'frozen_time' });

    const updated = await h.stripe.customers.update(customer.id, { name: 'Later' });
    expect(updated.name).toBe('Later');
    const deleted = await h.stripe.testHelpers.testClocks.del(clock.id);
    expect(deleted).toEqual({ id: clock.id, object: 'test_helpers.test_clock', deleted: true });
    expect(await h.stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, deleted: true });
    expect(
      await stripeError(h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: frozen + 9 * DAY })),
    ).toMatchObject({ statusCode: 404 });

    const events = await expectEvents(h, [
      'test_helpers.test_clock.created',
      'customer.created',
      'test_helpers.test_clock.advancing',
      'test_helpers.test_clock.ready',
      'customer.updated',
      'test_helpers.test_clock.deleted',
    ]);
    expect(eventsOf(events, 'test_helpers.test_clock.ready')[0]?.created).toBe(frozen + 2 * DAY);
    expect(eventsOf(events, 'customer.updated')[0]?.created).toBe(frozen + 2 * DAY);
    expect(eventsOf(events, 'customer.created')[0]?.created).toBe(frozen);
  });

  it('keep customers on different clocks apart', async () => {
    const plans = await catalog(h);
    const slow = await testClock(h);
    const fast = await testClock(h);
    const a = await subscriber(h, { clock: slow.id });
    const b = await subscriber(h, { clock: fast.id });
    const subA = await h.stripe.subscriptions.create({ customer: a.id, items: [{ price: plans.basic.id }] });
    const subB = await h.stripe.subscriptions.create({ customer: b.id, items: [{ price: plans.basic.id }] });
    await settle(h);
    await h.stripe.testHelpers.testClocks.advance(fast.id, { frozen_time: fast.frozen_time + 40 * DAY });
    expect((await h.stripe.invoices.list({ subscription: subB.id })).data).toHaveLength(2);
    expect((await h.stripe.invoices.list({ subscription: subA.id })).data).toHaveLength(1);
    await h.post('/_emulator/clock/advance', { seconds: 40 * DAY });
    expect((await h.stripe.invoices.list({ subscription: subA.id })).data).toHaveLength(1);
    expect((await h.stripe.subscriptions.list({ test_clock: fast.id })).data.map((s) => s.id)).toEqual([
      subB.id,
    ]);
  });

  it('puts payments and refunds of a clock customer on its time', async () => {
    const clock = await testClock(h);
    const customer = await h.stripe.customers.create({ test_clock: clock.id });
    const pi = await h.stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      allowed_payment_method_types: ['card'],
    });
    expect(pi.created).toBe(clock.frozen_time);
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id });
    expect(refund.created).toBe(clock.frozen_time);
    const events = await expectEvents(h, [
      'test_helpers.test_clock.created',
      'customer.created',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'charge.refunded',
      'refund.created',
    ]);
    expect(events.every((e) => e.created === clock.frozen_time)).toBe(true);
  });

  it('rejects an unknown clock for a customer', async () => {
    expect(await stripeError(h.stripe.customers.create({ test_clock: 'clock_missing' }))).toMatchObject({
      code: 'resource_missing',
      param: 'test_clock',
    });
  });
});
