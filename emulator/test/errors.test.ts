import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { sdk, stripeError, harnessPerTest } from './helpers';

const h = harnessPerTest();

describe('authentication', () => {
  it("rejects a request without a key with 401 and Stripe's message", async () => {
    const response = await fetch(`${h.emulator.url}/v1/customers`);
    expect(response.status).toBe(401);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('You did not provide an API key');
  });

  it.each([
    ['a live key', `sk_live_${'0'.repeat(24)}`],
    ['a malformed key', 'sk_test_has-dashes-and_underscores'],
    ['a publishable key', 'pk_test_51Hpublishable00000000000wxyz'],
  ])('rejects %s through the SDK as StripeAuthenticationError without echoing it', async (_label, key) => {
    const error = await stripeError(sdk(h.emulator.port, key).customers.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.message).toContain('Invalid API Key provided');
    expect(error.message).not.toContain(key);
  });

  it('accepts any well-formed test secret or restricted key', async () => {
    await expect(sdk(h.emulator.port, 'sk_test_abc123').customers.list()).resolves.toMatchObject({
      object: 'list',
    });
    await expect(sdk(h.emulator.port, 'rk_test_Restricted9').customers.list()).resolves.toMatchObject({
      object: 'list',
    });
  });
});

describe('errors', () => {
  it('answers an unknown object with 404 resource_missing', async () => {
    const error = await stripeError(h.stripe.customers.retrieve('cus_missing'));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('resource_missing');
    expect(error.param).toBe('id');
    expect(error.message).toBe("No such customer: 'cus_missing'");
    expect(error.requestId).toMatch(/^req_/);
  });

  it('answers an unknown reference in a parameter with 400 resource_missing', async () => {
    const error = await stripeError(
      h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: 'cus_nope' }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('resource_missing');
    expect(error.param).toBe('customer');
  });

  it('reports unknown, missing and malformed parameters as Stripe does', async () => {
    const unknown = await stripeError(
      h.stripe.customers.create({ nickname: 'x' } as Stripe.CustomerCreateParams),
    );
    expect(unknown).toMatchObject({
      code: 'parameter_unknown',
      param: 'nickname',
      message: 'Received unknown parameter: nickname',
    });

    const nested = await stripeError(
      h.stripe.customers.create({ invoice_settings: { colour: 'red' } } as Stripe.CustomerCreateParams),
    );
    expect(nested).toMatchObject({ code: 'parameter_unknown', param: 'invoice_settings[colour]' });

    const missing = await stripeError(
      h.stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams),
    );
    expect(missing).toMatchObject({
      code: 'parameter_missing',
      param: 'amount',
      message: 'Missing required param: amount.',
    });

    const notInteger = await stripeError(
      h.stripe.paymentIntents.create({ amount: 'lots' as unknown as number, currency: 'usd' }),
    );
    expect(notInteger).toMatchObject({
      code: 'parameter_invalid_integer',
      param: 'amount',
      message: 'Invalid integer: lots',
    });
  });

  it('rejects zero, negative and too-small amounts', async () => {
    for (const amount of [0, -100]) {
      const error = await stripeError(h.stripe.paymentIntents.create({ amount, currency: 'usd' }));
      expect(error).toMatchObject({ code: 'parameter_invalid_integer', param: 'amount', statusCode: 400 });
      expect(error.message).toBe('This value must be greater than or equal to 1.');
    }
    const small = await stripeError(h.stripe.paymentIntents.create({ amount: 10, currency: 'usd' }));
    expect(small).toMatchObject({ code: 'amount_too_small', message: 'Amount must be at least $0.50 usd' });
  });

  it('maps a decline to StripeCardError with the PaymentIntent and charge attached', async () => {
    const error = await stripeError(
      h.stripe.paymentIntents.create({
        amount: 1500,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
        allowed_payment_method_types: ['card'],
      }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe('card_declined');
    expect(error.decline_code).toBe('generic_decline');
    expect(error.message).toBe('Your card was declined.');
    expect(error.charge).toMatch(/^ch_/);
    expect(error.payment_intent).toMatchObject({
      object: 'payment_intent',
      status: 'requires_payment_method',
    });
    expect(error.payment_intent?.last_payment_error?.decline_code).toBe('generic_decline');
  });

  it('answers an unrecognised URL like Stripe', async () => {
    const response = await fetch(`${h.emulator.url}/v1/nothing_here`, {
      headers: { Authorization: 'Bearer sk_test_x1' },
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain('Unrecognized request URL (GET: /v1/nothing_here)');
  });

  it('sends Request-Id and Stripe-Version headers on every answer', async () => {
    const customer = await h.stripe.customers.create();
    expect(customer.lastResponse.requestId).toMatch(/^req_/);
    expect(customer.lastResponse.apiVersion).toBe('2026-10-28.endive');
  });
});
