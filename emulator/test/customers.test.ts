import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { stripeError, harnessPerTest } from './helpers';

const h = harnessPerTest();

describe('customers', () => {
  it('creates, retrieves, updates and deletes with events', async () => {
    const customer = await h.stripe.customers.create({
      email: 'ada@example.com',
      name: 'Ada',
      metadata: { user_id: 'u1' },
    });
    expect(customer).toMatchObject({
      object: 'customer',
      email: 'ada@example.com',
      name: 'Ada',
      livemode: false,
      test_clock: null,
    });
    expect(customer.id).toMatch(/^cus_/);
    expect(customer.invoice_settings.default_payment_method).toBeNull();

    const updated = await h.stripe.customers.update(customer.id, {
      name: 'Ada L.',
      description: 'VIP',
      metadata: { plan: 'pro' },
    });
    expect(updated).toMatchObject({
      name: 'Ada L.',
      description: 'VIP',
      metadata: { user_id: 'u1', plan: 'pro' },
    });
    const cleared = await h.stripe.customers.update(customer.id, { description: '', metadata: '' });
    expect(cleared.description).toBeNull();
    expect(cleared.metadata).toEqual({});

    const deleted = await h.stripe.customers.del(customer.id);
    expect(deleted).toEqual({ id: customer.id, object: 'customer', deleted: true });
    expect(await h.stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, deleted: true });
    expect((await stripeError(h.stripe.customers.update(customer.id, { name: 'x' }))).statusCode).toBe(404);
    expect((await h.stripe.customers.list()).data).toHaveLength(0);

    await h.flush();
    expect(h.receiver.types()).toEqual([
      'customer.created',
      'customer.updated',
      'customer.updated',
      'customer.deleted',
    ]);
    const [first, second] = h.receiver.ofType('customer.updated');
    expect(first?.data.previous_attributes).toEqual({
      name: 'Ada',
      description: null,
      metadata: { plan: null },
    });
    expect(first?.data.object.name).toBe('Ada L.');
    expect(second?.data.previous_attributes).toEqual({
      description: 'VIP',
      metadata: { user_id: 'u1', plan: 'pro' },
    });
    expect(h.receiver.ofType('customer.deleted')[0]?.data.object).toMatchObject({
      id: customer.id,
      email: 'ada@example.com',
    });
  });

  it('sends no customer.updated when nothing changed', async () => {
    const customer = await h.stripe.customers.create({ name: 'Same' });
    await h.stripe.customers.update(customer.id, { name: 'Same' });
    await h.flush();
    expect(h.receiver.types()).toEqual(['customer.created']);
  });

  it('lists by email', async () => {
    await h.stripe.customers.create({ email: 'one@example.com' });
    const two = await h.stripe.customers.create({ email: 'two@example.com' });
    expect((await h.stripe.customers.list({ email: 'two@example.com' })).data.map((c) => c.id)).toEqual([
      two.id,
    ]);
  });

  it('sets a default payment method that is attached to the customer', async () => {
    const customer = await h.stripe.customers.create();
    const pm = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const updated = await h.stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: pm.id },
    });
    expect(updated.invoice_settings.default_payment_method).toBe(pm.id);

    const loose = await h.stripe.paymentMethods.retrieve('pm_card_mastercard');
    const error = await stripeError(
      h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: loose.id } }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'invoice_settings[default_payment_method]' });

    const expanded = await h.stripe.customers.retrieve(customer.id, {
      expand: ['invoice_settings.default_payment_method'],
    });
    expect(expanded).toMatchObject({
      invoice_settings: { default_payment_method: { id: pm.id, object: 'payment_method' } },
    });
  });

  it('attaches a card given at creation and makes it the default', async () => {
    const customer = await h.stripe.customers.create({
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const methods = await h.stripe.customers.listPaymentMethods(customer.id);
    expect(methods.data).toHaveLength(1);
    expect(customer.invoice_settings.default_payment_method).toBe(methods.data[0]?.id);
    await h.flush();
    expect(h.receiver.types()).toEqual(['customer.created', 'payment_method.attached']);
  });
});

describe('payment methods', () => {
  it('turns test tokens into real card payment methods', async () => {
    const visa = await h.stripe.paymentMethods.retrieve('pm_card_visa');
    expect(visa.id).toMatch(/^pm_/);
    expect(visa.id).not.toBe('pm_card_visa');
    expect(visa).toMatchObject({
      object: 'payment_method',
      type: 'card',
      customer: null,
      card: { brand: 'visa', last4: '4242' },
    });
    expect(visa.card?.exp_year).toBeGreaterThan(new Date().getFullYear());
    expect(visa.card?.exp_month).toBeGreaterThanOrEqual(1);
    const mastercard = await h.stripe.paymentMethods.retrieve('pm_card_mastercard');
    expect(mastercard.card).toMatchObject({ brand: 'mastercard', last4: '4444' });
  });

  it('attaches, lists and detaches', async () => {
    const customer = await h.stripe.customers.create();
    const a = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const b = await h.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    expect(b.card?.last4).toBe('0341');
    expect((await h.stripe.customers.listPaymentMethods(customer.id)).data.map((pm) => pm.id)).toEqual([
      b.id,
      a.id,
    ]);
    expect((await h.stripe.paymentMethods.list({ customer: customer.id, type: 'card' })).data).toHaveLength(
      2,
    );

    const detached = await h.stripe.paymentMethods.detach(a.id);
    expect(detached.customer).toBeNull();
    expect((await h.stripe.customers.listPaymentMethods(customer.id)).data.map((pm) => pm.id)).toEqual([
      b.id,
    ]);
    expect((await stripeError(h.stripe.paymentMethods.detach(a.id))).statusCode).toBe(400);
    await h.flush();
    expect(h.receiver.types()).toEqual([
      'customer.created',
      'payment_method.attached',
      'payment_method.attached',
      'payment_method.detached',
    ]);
  });

  it('refuses to attach a declining card, but 4000000000000341 attaches and fails later', async () => {
    const customer = await h.stripe.customers.create();
    const error = await stripeError(
      h.stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: customer.id }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.code).toBe('card_declined');

    const pm = await h.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    const charge = await stripeError(
      h.stripe.paymentIntents.create({
        amount: 2000,
        currency: 'usd',
        customer: customer.id,
        payment_method: pm.id,
        confirm: true,
        allowed_payment_method_types: ['card'],
        off_session: true,
      }),
    );
    expect(charge).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });
  });

  it('refuses an unknown payment method', async () => {
    const customer = await h.stripe.customers.create();
    const error = await stripeError(h.stripe.paymentMethods.attach('pm_unknown', { customer: customer.id }));
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});
