import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { stripeError, harnessPerTest } from './helpers';

const h = harnessPerTest();

describe('payment intents', () => {
  it('goes from requires_payment_method to requires_confirmation to succeeded', async () => {
    const customer = await h.stripe.customers.create();
    const pi = await h.stripe.paymentIntents.create({
      amount: 2500,
      currency: 'usd',
      customer: customer.id,
      metadata: { order: '42' },
      allowed_payment_method_types: ['card'],
    });
    expect(pi).toMatchObject({
      object: 'payment_intent',
      status: 'requires_payment_method',
      amount: 2500,
      latest_charge: null,
    });
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));

    const withCard = await h.stripe.paymentIntents.update(pi.id, {
      payment_method: 'pm_card_visa',
      description: 'Order 42',
    });
    expect(withCard.status).toBe('requires_confirmation');

    const confirmed = await h.stripe.paymentIntents.confirm(pi.id);
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 2500, last_payment_error: null });
    const charge = await h.stripe.charges.retrieve(String(confirmed.latest_charge));
    expect(charge).toMatchObject({
      object: 'charge',
      status: 'succeeded',
      paid: true,
      captured: true,
      amount: 2500,
      amount_refunded: 0,
      refunded: false,
      customer: customer.id,
      payment_intent: pi.id,
      description: 'Order 42',
      metadata: { order: '42' },
      outcome: { type: 'authorized', network_status: 'approved_by_network' },
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
    });

    const again = await stripeError(h.stripe.paymentIntents.confirm(pi.id));
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });

    await h.flush();
    expect(h.receiver.types()).toEqual([
      'customer.created',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
    expect(h.receiver.ofType('payment_intent.succeeded')[0]?.data.object.status).toBe('succeeded');
  });

  it('creates and confirms in one call', async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_mastercard',
      confirm: true,
      allowed_payment_method_types: ['card'],
    });
    expect(pi.status).toBe('succeeded');
    const expanded = await h.stripe.paymentIntents.retrieve(pi.id, {
      expand: ['latest_charge', 'payment_method'],
    });
    expect(expanded.latest_charge).toMatchObject({
      object: 'charge',
      payment_method_details: { card: { brand: 'mastercard' } },
    });
    expect(expanded.payment_method).toMatchObject({ object: 'payment_method', card: { last4: '4444' } });
  });

  it('accepts allowed_payment_method_types (card only)', async () => {
    const customer = await h.stripe.customers.create();
    const pi = await h.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      customer: customer.id,
      allowed_payment_method_types: ['card'],
    });
    expect(pi).toMatchObject({
      status: 'requires_payment_method',
      allowed_payment_method_types: ['card'],
      payment_method_types: ['card'],
      automatic_payment_methods: null,
    });
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline', 'Your card was declined.'],
    [
      'pm_card_chargeDeclinedInsufficientFunds',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds.',
    ],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', 'Your card has expired.'],
    ['pm_card_chargeCustomerFail', 'card_declined', 'generic_decline', 'Your card was declined.'],
  ])('declines %s with %s/%s', async (token, code, declineCode, message) => {
    const error = await stripeError(
      h.stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: token,
        confirm: true,
        allowed_payment_method_types: ['card'],
      }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ code, decline_code: declineCode, message });
    const pi = await h.stripe.paymentIntents.retrieve(error.payment_intent?.id ?? '');
    expect(pi.status).toBe('requires_payment_method');
    expect(pi.last_payment_error).toMatchObject({
      type: 'card_error',
      code,
      decline_code: declineCode,
      message,
      charge: error.charge,
    });
    const charge = await h.stripe.charges.retrieve(error.charge ?? '');
    expect(charge).toMatchObject({
      status: 'failed',
      paid: false,
      failure_code: code,
      outcome: { type: 'issuer_declined', reason: declineCode },
    });
    await h.flush();
    expect(h.receiver.types()).toEqual([
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
    ]);
  });

  it('can be retried with another card after a decline', async () => {
    const error = await stripeError(
      h.stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
        allowed_payment_method_types: ['card'],
      }),
    );
    const retried = await h.stripe.paymentIntents.confirm(error.payment_intent?.id ?? '', {
      payment_method: 'pm_card_visa',
    });
    expect(retried.status).toBe('succeeded');
    expect((await h.stripe.charges.list({ payment_intent: retried.id })).data.map((c) => c.status)).toEqual([
      'succeeded',
      'failed',
    ]);
  });

  it('requires 3-D Secure with a redirect to the challenge page, then completes', async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 3000,
      currency: 'usd',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: 'https://app.example/return',
    });
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action?.type).toBe('redirect_to_url');
    expect(pi.next_action?.redirect_to_url?.url).toBe(`${h.emulator.url}/3ds/${pi.id}`);
    expect(pi.next_action?.redirect_to_url?.return_url).toBe('https://app.example/return');
    const challenge = await fetch(pi.next_action?.redirect_to_url?.url ?? '');
    expect(await challenge.text()).toContain('Complete');

    const resolved = await h.post(`/_emulator/payment_intents/${pi.id}/3ds`, { outcome: 'complete' });
    expect(resolved.body.status).toBe('succeeded');
    expect(String(resolved.body.redirect_url)).toMatch(
      /^https:\/\/app\.example\/return\?payment_intent=pi_.*redirect_status=succeeded/,
    );
    expect((await h.stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
    await h.flush();
    expect(h.receiver.types()).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
  });

  it('returns to requires_payment_method when 3-D Secure fails', async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 3000,
      currency: 'usd',
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
      allowed_payment_method_types: ['card'],
    });
    expect(pi.status).toBe('requires_action');
    await h.post(`/_emulator/payment_intents/${pi.id}/3ds`, { outcome: 'fail' });
    const failed = await h.stripe.paymentIntents.retrieve(pi.id);
    expect(failed.status).toBe('requires_payment_method');
    expect(failed.last_payment_error?.code).toBe('payment_intent_authentication_failure');
    await h.flush();
    expect(h.receiver.types().at(-1)).toBe('payment_intent.payment_failed');
  });

  it('fails off-session payments that need authentication', async () => {
    const customer = await h.stripe.customers.create();
    const error = await stripeError(
      h.stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        customer: customer.id,
        payment_method: 'pm_card_authenticationRequired',
        confirm: true,
        allowed_payment_method_types: ['card'],
        off_session: true,
      }),
    );
    expect(error).toMatchObject({ code: 'authentication_required', decline_code: 'authentication_required' });
  });

  it('cancels, and refuses to cancel a succeeded PaymentIntent', async () => {
    const open = await h.stripe.paymentIntents.create({ amount: 900, currency: 'usd' });
    const canceled = await h.stripe.paymentIntents.cancel(open.id, {
      cancellation_reason: 'requested_by_customer',
    });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer' });
    expect(canceled.canceled_at).toBeGreaterThan(0);
    const paid = await h.stripe.paymentIntents.create({
      amount: 900,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      allowed_payment_method_types: ['card'],
    });
    expect((await stripeError(h.stripe.paymentIntents.cancel(paid.id))).code).toBe(
      'payment_intent_unexpected_state',
    );
    await h.flush();
    expect(h.receiver.types()).toContain('payment_intent.canceled');
  });

  it('lists payment intents and charges by customer', async () => {
    const a = await h.stripe.customers.create();
    const b = await h.stripe.customers.create();
    const pa = await h.stripe.paymentIntents.create({
      amount: 700,
      currency: 'usd',
      customer: a.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      allowed_payment_method_types: ['card'],
    });
    await h.stripe.paymentIntents.create({ amount: 800, currency: 'usd', customer: b.id });
    expect((await h.stripe.paymentIntents.list({ customer: a.id })).data.map((p) => p.id)).toEqual([pa.id]);
    expect((await h.stripe.charges.list({ customer: a.id })).data.map((c) => c.id)).toEqual([
      pa.latest_charge,
    ]);
    expect((await h.stripe.charges.list({ customer: b.id })).data).toHaveLength(0);
  });
});

describe('refunds', () => {
  async function paid(amount = 5000) {
    const pi = await h.stripe.paymentIntents.create({
      amount,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      allowed_payment_method_types: ['card'],
    });
    return { pi, chargeId: String(pi.latest_charge) };
  }

  it('refunds partially, then the rest, and no more', async () => {
    const { pi, chargeId } = await paid(5000);
    const first = await h.stripe.refunds.create({
      charge: chargeId,
      amount: 2000,
      reason: 'requested_by_customer',
      metadata: { ticket: 't1' },
    });
    expect(first).toMatchObject({
      object: 'refund',
      amount: 2000,
      charge: chargeId,
      payment_intent: pi.id,
      status: 'succeeded',
      reason: 'requested_by_customer',
    });
    let charge = await h.stripe.charges.retrieve(chargeId);
    expect(charge).toMatchObject({ amount_refunded: 2000, refunded: false });

    const over = await stripeError(h.stripe.refunds.create({ charge: chargeId, amount: 3001 }));
    expect(over).toMatchObject({ statusCode: 400, param: 'amount' });
    expect(over.message).toBe('Refund amount ($30.01) is greater than unrefunded amount on charge ($30.00)');

    const rest = await h.stripe.refunds.create({ payment_intent: pi.id });
    expect(rest.amount).toBe(3000);
    charge = await h.stripe.charges.retrieve(chargeId, { expand: ['refunds'] });
    expect(charge).toMatchObject({ amount_refunded: 5000, refunded: true });
    expect(charge.refunds?.data.map((r) => r.id)).toEqual([rest.id, first.id]);

    const again = await stripeError(h.stripe.refunds.create({ charge: chargeId, amount: 1 }));
    expect(again).toMatchObject({
      statusCode: 400,
      code: 'charge_already_refunded',
      message: `Charge ${chargeId} has already been refunded.`,
    });

    await h.flush();
    const refundedEvents = h.receiver.ofType('charge.refunded');
    expect(refundedEvents.map((e) => [e.data.object.amount_refunded, e.data.object.refunded])).toEqual([
      [2000, false],
      [5000, true],
    ]);
    expect(h.receiver.ofType('refund.created').map((e) => e.data.object.amount)).toEqual([2000, 3000]);
  });

  it('validates refund amounts and targets', async () => {
    const { chargeId } = await paid(1000);
    expect(await stripeError(h.stripe.refunds.create({ charge: chargeId, amount: 0 }))).toMatchObject({
      code: 'parameter_invalid_integer',
    });
    expect(await stripeError(h.stripe.refunds.create({}))).toMatchObject({ statusCode: 400 });
    expect(await stripeError(h.stripe.refunds.create({ charge: 'ch_nope' }))).toMatchObject({
      code: 'resource_missing',
      param: 'charge',
    });
    const unpaid = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    expect((await stripeError(h.stripe.refunds.create({ payment_intent: unpaid.id }))).statusCode).toBe(400);
  });

  it('updates refund metadata and lists refunds by charge and payment intent', async () => {
    const one = await paid(1000);
    const two = await paid(2000);
    const r1 = await h.stripe.refunds.create({ charge: one.chargeId, amount: 100 });
    const r2 = await h.stripe.refunds.create({ charge: two.chargeId, amount: 200 });
    const updated = await h.stripe.refunds.update(r1.id, { metadata: { note: 'goodwill' } });
    expect(updated.metadata).toEqual({ note: 'goodwill' });
    expect((await h.stripe.refunds.retrieve(r1.id)).metadata).toEqual({ note: 'goodwill' });
    expect((await h.stripe.refunds.list({ charge: one.chargeId })).data.map((r) => r.id)).toEqual([r1.id]);
    expect((await h.stripe.refunds.list({ payment_intent: two.pi.id })).data.map((r) => r.id)).toEqual([
      r2.id,
    ]);
    expect((await h.stripe.refunds.list()).data.map((r) => r.id)).toEqual([r2.id, r1.id]);
    await h.flush();
    expect(h.receiver.ofType('refund.updated')[0]?.data.previous_attributes).toEqual({
      metadata: { note: null },
    });
  });
});
