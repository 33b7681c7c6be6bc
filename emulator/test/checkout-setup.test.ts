// Contract: Checkout collects a card through a SetupIntent in `setup` mode
// (https://docs.stripe.com/payments/save-and-reuse?platform=checkout) and for a subscription with a
// trial (https://docs.stripe.com/payments/checkout/free-trials); 3-D Secure cards go through the
// challenge at setup (https://docs.stripe.com/testing#authentication-and-setup: 3155 once at setup,
// then off-session payments pass; 3184 on every payment, setup included).
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  advance,
  DAY,
  eventsOf,
  expectEvents,
  settle,
  testClock,
  harnessWithCatalog,
} from './billing-helpers';
import { type Harness, pay, stripeError, submitForm } from './helpers';

const { h, plans } = harnessWithCatalog();

const SUCCESS = 'https://app.example/billing/success?session_id={CHECKOUT_SESSION_ID}';

function trialSession(customer: string | null) {
  return h.stripe.checkout.sessions.create({
    mode: 'subscription',
    ...(customer ? { customer } : {}),
    line_items: [{ price: plans.pro.id, quantity: 1 }],
    success_url: SUCCESS,
    cancel_url: 'https://app.example/pricing',
    subscription_data: { trial_period_days: 14 },
  });
}

function setupSession(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return h.stripe.checkout.sessions.create({
    mode: 'setup',
    success_url: SUCCESS,
    cancel_url: 'https://app.example/billing',
    ...extra,
  });
}

/** Submits a hosted page's form (a path on the emulator or a full URL) without following the redirect. */
function submit(harness: Harness, path: string, fields: Record<string, string>) {
  return submitForm(path.startsWith('http') ? path : `${harness.emulator.url}${path}`, fields);
}

const card = (number: string) => ({
  email: 'trial@example.com',
  cardNumber: number,
  cardExpiry: '12 / 40',
  cardCvc: '123',
  billingName: 'Trial Person',
});

describe('a trial Checkout saves its card through a SetupIntent (checkout/free-trials)', () => {
  it('sends a 3184 card through the challenge page, then starts the trial and lands on success_url', async () => {
    const session = await trialSession(null);
    const page = await submit(h, `/c/pay/${session.id}`, card('4000 0027 6000 3184'));
    expect([302, 303]).toContain(page.status);
    expect(page.location).toMatch(new RegExp(`^${h.emulator.url}/3ds/setup/seti_`));
    // Nothing is subscribed while the cardholder has not authenticated.
    const waiting = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(waiting).toMatchObject({ status: 'open', subscription: null });
    expect((await h.stripe.subscriptions.list({ status: 'all' })).data).toEqual([]);
    const si = await h.stripe.setupIntents.retrieve(String(waiting.setup_intent));
    expect(si).toMatchObject({ status: 'requires_action', usage: 'off_session' });
    expect(si.next_action?.redirect_to_url?.return_url).toBe(`${h.emulator.url}/c/pay/${session.id}/return`);

    const challenge = await fetch(String(page.location));
    expect(await challenge.text()).toContain('saving a card for later payments');
    const answered = await submit(h, String(page.location), { outcome: 'complete' });
    expect(answered.location).toContain(`/c/pay/${session.id}/return?setup_intent=${si.id}`);
    const back = await fetch(String(answered.location), { redirect: 'manual' });
    expect(back.headers.get('location')).toBe(SUCCESS.replace('{CHECKOUT_SESSION_ID}', session.id));

    const done = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription'] });
    expect(done).toMatchObject({
      status: 'complete',
      payment_status: 'no_payment_required',
      setup_intent: si.id,
    });
    const sub = done.subscription as Stripe.Subscription;
    expect(sub.status).toBe('trialing');
    const customer = (await h.stripe.customers.retrieve(String(done.customer))) as Stripe.Customer;
    expect(customer.invoice_settings.default_payment_method).toBe(si.payment_method);
    expect(sub.default_payment_method).toBe(si.payment_method);
    const events = await expectEvents(h, [
      'customer.created',
      'setup_intent.created',
      'setup_intent.requires_action',
      'payment_method.attached',
      'setup_intent.succeeded',
      'customer.updated',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.created',
      'checkout.session.completed',
    ]);
    const types = events.map((e) => e.type);
    expect(types.indexOf('setup_intent.succeeded')).toBeLessThan(
      types.indexOf('customer.subscription.created'),
    );
    expect(types.at(-1)).toBe('checkout.session.completed');
    expect(eventsOf(events, 'checkout.session.completed')[0]?.data.object.setup_intent).toBe(si.id);
  });

  it('keeps the session open with an error when the challenge fails, then takes another card', async () => {
    const session = await trialSession(null);
    const challenge = await pay(h, session.id, '4000002500003155', 'retry@example.com');
    expect(challenge.body).toMatchObject({ status: 'requires_action', payment_intent: null });
    const siId = String(challenge.body.setup_intent);
    const failed = await h.post(`/_emulator/setup_intents/${siId}/3ds`, { outcome: 'fail' });
    expect(failed.body).toMatchObject({ status: 'requires_payment_method', redirect_url: session.url });
    expect(failed.body.last_setup_error).toMatchObject({ code: 'setup_intent_authentication_failure' });
    // The page the browser returns to shows why, and the session is still open.
    const back = await fetch(`${h.emulator.url}/c/pay/${session.id}/return?setup_intent=${siId}`);
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('We are unable to authenticate your payment method.');
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    expect((await h.stripe.subscriptions.list({ status: 'all' })).data).toEqual([]);

    expect((await pay(h, session.id, '4242424242424242', 'retry@example.com')).body.status).toBe('complete');
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: 'complete', setup_intent: siId });
    expect((await h.stripe.setupIntents.retrieve(siId)).status).toBe('succeeded');
    const events = await expectEvents(h, [
      'customer.created',
      'setup_intent.created',
      'setup_intent.requires_action',
      'setup_intent.setup_failed',
      'payment_method.attached',
      'setup_intent.succeeded',
      'customer.updated',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.created',
      'checkout.session.completed',
    ]);
    expect(eventsOf(events, 'customer.subscription.created')).toHaveLength(1);
  });

  it('renews off-session without a challenge on a 3155 card authenticated at trial signup', async () => {
    const clock = await testClock(h);
    const customer = await h.stripe.customers.create({ email: 'clock@example.com', test_clock: clock.id });
    await settle(h);
    const session = await trialSession(customer.id);
    const challenge = await pay(h, session.id, '4000002500003155');
    await h.post(`/_emulator/setup_intents/${String(challenge.body.setup_intent)}/3ds`, {
      outcome: 'complete',
    });
    const sub = (await h.stripe.subscriptions.list({ customer: customer.id })).data[0];
    expect(sub?.status).toBe('trialing');
    await advance(h, clock, 15 * DAY);
    const renewed = await h.stripe.subscriptions.retrieve(String(sub?.id), { expand: ['latest_invoice'] });
    expect(renewed.status).toBe('active');
    expect(renewed.latest_invoice).toMatchObject({ status: 'paid', amount_paid: 3000 });
    await h.flush();
    expect(h.receiver.types()).not.toContain('invoice.payment_action_required');
  });
});

describe('Checkout in `setup` mode (payments/save-and-reuse?platform=checkout)', () => {
  it('saves the card to the customer, charges nothing and completes with setup_intent', async () => {
    const customer = await h.stripe.customers.create({ email: 'save@example.com' });
    await settle(h);
    const session = await setupSession({
      customer: customer.id,
      setup_intent_data: { metadata: { purpose: 'card-update' } },
    });
    expect(session).toMatchObject({
      mode: 'setup',
      status: 'open',
      payment_status: 'no_payment_required',
      amount_total: null,
      setup_intent: null,
    });
    const page = await (await fetch(String(session.url))).text();
    expect(page).toContain('Save card');
    expect(page).not.toContain('Order summary');

    expect((await pay(h, session.id, '4242424242424242')).body.status).toBe('complete');
    const done = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['setup_intent'] });
    const si = done.setup_intent as Stripe.SetupIntent;
    expect(done).toMatchObject({
      status: 'complete',
      payment_status: 'no_payment_required',
      customer: customer.id,
    });
    expect(si).toMatchObject({
      status: 'succeeded',
      customer: customer.id,
      metadata: { purpose: 'card-update' },
    });
    const pm = await h.stripe.paymentMethods.retrieve(String(si.payment_method));
    expect(pm.customer).toBe(customer.id);
    expect((await h.stripe.paymentIntents.list()).data).toEqual([]);
    const events = await expectEvents(h, [
      'setup_intent.created',
      'payment_method.attached',
      'setup_intent.succeeded',
      'checkout.session.completed',
    ]);
    expect(eventsOf(events, 'checkout.session.completed')[0]?.data.object).toMatchObject({
      mode: 'setup',
      setup_intent: si.id,
    });
  });

  it('asks a 3155 card to authenticate, and completes once it has', async () => {
    const customer = await h.stripe.customers.create({ email: 'sca-setup@example.com' });
    const session = await setupSession({ customer: customer.id });
    const challenge = await pay(h, session.id, '4000002500003155');
    expect(challenge.body).toMatchObject({ status: 'requires_action' });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    const done = await h.post(`/_emulator/setup_intents/${String(challenge.body.setup_intent)}/3ds`, {
      outcome: 'complete',
    });
    expect(done.body).toMatchObject({
      status: 'succeeded',
      redirect_url: SUCCESS.replace('{CHECKOUT_SESSION_ID}', session.id),
    });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
    expect((await h.stripe.paymentMethods.list({ customer: customer.id })).data).toHaveLength(1);
  });

  it('saves no card to any customer without `customer`, and refuses a declining card', async () => {
    const session = await setupSession();
    const declined = await pay(h, session.id, '4000000000000002');
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ status: 'failed', error: { decline_code: 'generic_decline' } });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    expect((await pay(h, session.id, '4242424242424242')).body.status).toBe('complete');
    const done = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['setup_intent'] });
    expect(done.customer).toBeNull();
    expect((done.setup_intent as Stripe.SetupIntent).status).toBe('succeeded');
    expect((await h.stripe.customers.list()).data).toEqual([]);
  });

  it('refuses line_items and discounts in setup mode, and setup_intent_data elsewhere', async () => {
    const withItems = await stripeError(setupSession({ line_items: [{ price: plans.pro.id, quantity: 1 }] }));
    expect(withItems).toMatchObject({ statusCode: 400, param: 'line_items' });
    const withPromo = await stripeError(setupSession({ allow_promotion_codes: true }));
    expect(withPromo).toMatchObject({ statusCode: 400, param: 'allow_promotion_codes' });
    const elsewhere = await stripeError(
      h.stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: plans.pro.id, quantity: 1 }],
        success_url: SUCCESS,
        setup_intent_data: { description: 'x' },
      }),
    );
    expect(elsewhere).toMatchObject({ statusCode: 400, param: 'setup_intent_data' });
    expect((await h.stripe.checkout.sessions.list()).data).toEqual([]);
  });
});
