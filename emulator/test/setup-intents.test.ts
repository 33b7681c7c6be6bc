// Contract: https://docs.stripe.com/api/setup_intents and the setup cards of
// https://docs.stripe.com/testing#authentication-and-setup (3155: authenticate once at setup,
// then off-session payments pass; 3184: authenticate every payment, setup included).
import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventsOf, expectEvents, settle, harnessWithCatalog } from './billing-helpers';
import { pay, stripeError, submitForm } from './helpers';

const { h, plans } = harnessWithCatalog();
let customer: Stripe.Customer;

beforeEach(async () => {
  customer = await h.stripe.customers.create({ email: 'setup@example.com' });
  await settle(h);
});

async function offSessionPayment(pm: string) {
  return h.stripe.paymentIntents.create({
    amount: 2000,
    currency: 'usd',
    customer: customer.id,
    allowed_payment_method_types: ['card'],
    payment_method: pm,
    off_session: true,
    confirm: true,
  });
}

describe('SetupIntents (docs.stripe.com/api/setup_intents)', () => {
  it('saves a card that needs no authentication and attaches it to the customer', async () => {
    const si = await h.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(si).toMatchObject({ object: 'setup_intent', status: 'succeeded', usage: 'off_session' });
    expect(si.client_secret).toMatch(new RegExp(`^${si.id}_secret_`));
    const pm = await h.stripe.paymentMethods.retrieve(String(si.payment_method));
    expect(pm.customer).toBe(customer.id);
    expect(await h.stripe.setupIntents.retrieve(si.id)).toEqual(si);
    expect((await h.stripe.setupIntents.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([
      si.id,
    ]);
    const events = await expectEvents(h, [
      'setup_intent.created',
      'payment_method.attached',
      'setup_intent.succeeded',
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'setup_intent.created',
      'payment_method.attached',
      'setup_intent.succeeded',
    ]);
  });

  it('asks 3155 to authenticate once at setup; off-session payments then pass', async () => {
    const si = await h.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    // Without a return_url Stripe.js handles the challenge (next_action.type use_stripe_sdk).
    expect(si.status).toBe('requires_action');
    expect(si.next_action?.type).toBe('use_stripe_sdk');
    const answer = await h.post(`/_emulator/setup_intents/${si.id}/3ds`, { outcome: 'complete' });
    expect(answer.body).toMatchObject({ status: 'succeeded' });
    const pi = await offSessionPayment(String(si.payment_method));
    expect(pi.status).toBe('succeeded');
    const events = await expectEvents(h, [
      'setup_intent.created',
      'setup_intent.requires_action',
      'payment_method.attached',
      'setup_intent.succeeded',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
    expect(eventsOf(events, 'setup_intent.succeeded')).toHaveLength(1);
  });

  it('redirects to the challenge page with a return_url, and back with the outcome', async () => {
    const si = await h.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
      return_url: 'https://app.example/cards/done',
    });
    expect(si.next_action).toMatchObject({
      type: 'redirect_to_url',
      redirect_to_url: { return_url: 'https://app.example/cards/done' },
    });
    const page = await fetch(String(si.next_action?.redirect_to_url?.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('3D Secure 2 Test Page');
    const done = await submitForm(String(si.next_action?.redirect_to_url?.url), { outcome: 'complete' });
    const location = new URL(String(done.location));
    expect(location.origin + location.pathname).toBe('https://app.example/cards/done');
    expect(location.searchParams.get('setup_intent')).toBe(si.id);
    expect(location.searchParams.get('redirect_status')).toBe('succeeded');
    expect((await h.stripe.setupIntents.retrieve(si.id)).status).toBe('succeeded');
  });

  it('asks 3184 to authenticate at setup and still on every off-session payment', async () => {
    const si = await h.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    expect(si.status).toBe('requires_action');
    await h.post(`/_emulator/setup_intents/${si.id}/3ds`, { outcome: 'complete' });
    const error = await stripeError(offSessionPayment(String(si.payment_method)));
    expect(error).toMatchObject({ statusCode: 402, code: 'authentication_required' });
  });

  it('fails a setup whose challenge fails, and a declining card, with setup_intent.setup_failed', async () => {
    const si = await h.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    await h.post(`/_emulator/setup_intents/${si.id}/3ds`, { outcome: 'fail' });
    expect(await h.stripe.setupIntents.retrieve(si.id)).toMatchObject({
      status: 'requires_payment_method',
      payment_method: null,
      last_setup_error: { code: 'setup_intent_authentication_failure' },
    });
    const declined = await stripeError(
      h.stripe.setupIntents.create({
        customer: customer.id,
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
      }),
    );
    expect(declined).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined' });
    const events = await expectEvents(h, [
      'setup_intent.created',
      'setup_intent.requires_action',
      'setup_intent.setup_failed',
    ]);
    expect(eventsOf(events, 'setup_intent.setup_failed')).toHaveLength(2);
  });

  it('confirms later, cancels, and refuses what its status does not allow', async () => {
    const si = await h.stripe.setupIntents.create({ customer: customer.id });
    expect(si.status).toBe('requires_payment_method');
    const confirmed = await h.stripe.setupIntents.confirm(si.id, { payment_method: 'pm_card_visa' });
    expect(confirmed.status).toBe('succeeded');
    const again = await stripeError(h.stripe.setupIntents.confirm(si.id));
    expect(again).toMatchObject({ statusCode: 400, code: 'setup_intent_unexpected_state' });
    const other = await h.stripe.setupIntents.create({ customer: customer.id });
    expect((await h.stripe.setupIntents.cancel(other.id)).status).toBe('canceled');
    const missing = await stripeError(h.stripe.setupIntents.retrieve('seti_nope'));
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('collects a trial Checkout card through a SetupIntent (checkout/free-trials)', async () => {
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: plans.pro.id, quantity: 1 }],
      subscription_data: { trial_period_days: 14 },
      success_url: 'https://app.example/ok',
      cancel_url: 'https://app.example/no',
    });
    expect((await pay(h, session.id, '4242424242424242')).body.status).toBe('complete');
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    const si = await h.stripe.setupIntents.retrieve(String(done.setup_intent));
    expect(si).toMatchObject({ status: 'succeeded', customer: customer.id, usage: 'off_session' });
    const sub = await h.stripe.subscriptions.retrieve(String(done.subscription));
    expect(sub.status).toBe('trialing');
    expect(sub.default_payment_method).toBe(si.payment_method);
    const events = await h.flush().then(() => h.receiver.deliveries.map((d) => d.event.type));
    expect(events.indexOf('setup_intent.succeeded')).toBeGreaterThan(-1);
    expect(events.indexOf('setup_intent.succeeded')).toBeLessThan(
      events.indexOf('checkout.session.completed'),
    );
  });
});

// https://docs.stripe.com/api/subscriptions/object#subscription_object-pending_setup_intent and
// https://docs.stripe.com/billing/subscriptions/build-subscriptions (trials with default_incomplete).
describe('subscription.pending_setup_intent', () => {
  it('is a SetupIntent for a trial created with default_incomplete, cleared once confirmed', async () => {
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
      trial_period_days: 7,
      payment_behavior: 'default_incomplete',
      payment_settings: { save_default_payment_method: 'on_subscription' },
      expand: ['pending_setup_intent'],
    });
    expect(sub.status).toBe('trialing');
    const si = sub.pending_setup_intent as Stripe.SetupIntent;
    expect(si).toMatchObject({
      object: 'setup_intent',
      status: 'requires_payment_method',
      customer: customer.id,
      usage: 'off_session',
    });
    expect(si.client_secret).toMatch(/_secret_/);

    // The client confirms it with a 3-D Secure card: the challenge first, then the card is saved.
    const confirmed = await h.stripe.setupIntents.confirm(si.id, {
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      return_url: 'https://app.example/billing',
    });
    expect(confirmed.status).toBe('requires_action');
    expect((await h.stripe.subscriptions.retrieve(sub.id)).pending_setup_intent).toBe(si.id);
    await h.post(`/_emulator/setup_intents/${si.id}/3ds`, { outcome: 'complete' });

    const after = await h.stripe.subscriptions.retrieve(sub.id);
    expect(after.pending_setup_intent).toBeNull();
    expect(after.default_payment_method).toBe((await h.stripe.setupIntents.retrieve(si.id)).payment_method);
    const events = await expectEvents(h, [
      'setup_intent.created',
      'setup_intent.requires_action',
      'payment_method.attached',
      'setup_intent.succeeded',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.created',
      'customer.subscription.updated',
    ]);
    expect(eventsOf(events, 'customer.subscription.created')[0]?.data.object.pending_setup_intent).toBe(
      si.id,
    );
    const updated = eventsOf(events, 'customer.subscription.updated')[0]?.data;
    expect(updated?.object.pending_setup_intent).toBeNull();
    expect(updated?.previous_attributes).toMatchObject({ pending_setup_intent: si.id });
  });

  it('is null when the first invoice is charged (a PaymentIntent to confirm instead)', async () => {
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
      payment_behavior: 'default_incomplete',
      expand: ['latest_invoice.confirmation_secret'],
    });
    expect(sub.status).toBe('incomplete');
    expect(sub.pending_setup_intent).toBeNull();
    expect((await h.stripe.setupIntents.list({ customer: customer.id })).data).toEqual([]);
  });

  it('is null for a trial created without default_incomplete', async () => {
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
      trial_period_days: 7,
    });
    expect(sub).toMatchObject({ status: 'trialing', pending_setup_intent: null });
  });
});
