import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  DAY,
  eventsOf,
  expectEvents,
  period,
  settle,
  subscriber,
  harnessWithCatalog,
  CHARGED_INVOICE_EVENTS,
} from './billing-helpers';
import { pay, stripeError } from './helpers';

const { h, plans } = harnessWithCatalog();

function subscriptionSession(
  customer: string | null,
  extra: Partial<Stripe.Checkout.SessionCreateParams> = {},
) {
  return h.stripe.checkout.sessions.create({
    mode: 'subscription',
    ...(customer ? { customer } : {}),
    line_items: [{ price: plans.pro.id, quantity: 1 }],
    success_url: 'https://app.example/billing/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://app.example/pricing',
    client_reference_id: 'user_1',
    subscription_data: { metadata: { plan: 'pro' } },
    ...extra,
  });
}

describe('subscribing through Checkout', () => {
  it('charges the first invoice, links everything and announces it in order', async () => {
    const feature = await h.stripe.entitlements.features.create({
      lookup_key: 'pro_reports',
      name: 'Reports',
    });
    await h.stripe.products.createFeature(plans.proProduct, { entitlement_feature: feature.id });
    const customer = await h.stripe.customers.create({ email: 'buyer@example.com' });
    await settle(h);
    const session = await subscriptionSession(customer.id);
    const result = await pay(h, session.id, '4242424242424242');
    expect(result.body).toMatchObject({
      status: 'complete',
      redirect_url: `https://app.example/billing/success?session_id=${session.id}`,
    });

    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      customer: customer.id,
      payment_intent: null,
    });
    const sub = await h.stripe.subscriptions.retrieve(String(done.subscription));
    expect(sub).toMatchObject({
      status: 'active',
      customer: customer.id,
      metadata: { plan: 'pro' },
      latest_invoice: done.invoice,
      trial_end: null,
      cancel_at_period_end: false,
    });
    expect(sub.items.data[0]).toMatchObject({
      object: 'subscription_item',
      price: { id: plans.pro.id },
      quantity: 1,
    });
    const { start, end } = period(sub);
    expect(end - start).toBeGreaterThanOrEqual(28 * DAY);
    const pm = String(sub.default_payment_method);
    expect((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      invoice_settings: { default_payment_method: pm },
    });

    const invoice = await h.stripe.invoices.retrieve(String(done.invoice));
    expect(invoice).toMatchObject({
      status: 'paid',
      billing_reason: 'subscription_create',
      amount_due: 3000,
      amount_paid: 3000,
      amount_remaining: 0,
      attempt_count: 1,
      attempted: true,
      parent: { type: 'subscription_details', subscription_details: { subscription: sub.id } },
    });
    expect(invoice.number).toMatch(/^[A-Z0-9]+-0001$/);
    expect(invoice.status_transitions.paid_at).toBeGreaterThan(0);
    expect(invoice.lines.data[0]).toMatchObject({
      amount: 3000,
      period: { start, end },
      pricing: { type: 'price_details', price_details: { price: plans.pro.id } },
    });
    const [payment] = (await h.stripe.invoicePayments.list({ invoice: invoice.id })).data;
    expect(payment).toMatchObject({
      object: 'invoice_payment',
      status: 'paid',
      amount_paid: 3000,
      payment: { type: 'payment_intent' },
    });
    const pi = await h.stripe.paymentIntents.retrieve(String(payment?.payment.payment_intent), {
      expand: ['latest_charge'],
    });
    expect(pi).toMatchObject({
      status: 'succeeded',
      amount: 3000,
      customer: customer.id,
      payment_method: pm,
    });

    // Stripe's sequence: created `incomplete`, the first invoice paid, then updated to `active`
    // (https://docs.stripe.com/billing/subscriptions/build-subscriptions?ui=stripe-hosted#provision-and-monitor).
    const order = [
      'payment_method.attached',
      'customer.updated',
      'customer.subscription.created',
      ...CHARGED_INVOICE_EVENTS,
      'customer.subscription.updated',
      'entitlements.active_entitlement_summary.updated',
      'checkout.session.completed',
    ];
    const events = await expectEvents(h, order);
    expect(events.map((e) => e.type)).toEqual(order);
    const summary = eventsOf(events, 'entitlements.active_entitlement_summary.updated')[0]?.data.object;
    expect(summary).toMatchObject({
      object: 'entitlements.active_entitlement_summary',
      customer: customer.id,
      entitlements: { data: [{ lookup_key: 'pro_reports' }] },
    });
    expect(eventsOf(events, 'customer.subscription.created')[0]?.data.object).toMatchObject({
      id: sub.id,
      status: 'incomplete',
      latest_invoice: invoice.id,
    });
    const updated = eventsOf(events, 'customer.subscription.updated')[0]?.data;
    expect(updated?.object).toMatchObject({ id: sub.id, status: 'active' });
    expect(updated?.previous_attributes).toMatchObject({ status: 'incomplete' });
    expect(eventsOf(events, 'invoice_payment.paid')[0]?.data.object).toMatchObject({
      id: payment?.id,
      invoice: invoice.id,
      status: 'paid',
      amount_paid: 3000,
    });
  });

  it('starts a trial with a paid $0 invoice and saves the card', async () => {
    const session = await subscriptionSession(null, {
      subscription_data: { trial_period_days: 14, metadata: { plan: 'pro' } },
    });
    expect((await pay(h, session.id, '4000000000000341', 'trial@example.com')).body.status).toBe('complete');
    const done = await h.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription', 'invoice'],
    });
    expect(done.payment_status).toBe('no_payment_required');
    const sub = done.subscription as Stripe.Subscription;
    expect(sub.status).toBe('trialing');
    expect(sub.trial_end).toBe((sub.trial_start ?? 0) + 14 * DAY);
    expect(period(sub).end).toBe(sub.trial_end);
    expect(done.invoice).toMatchObject({
      status: 'paid',
      amount_due: 0,
      amount_paid: 0,
      billing_reason: 'subscription_create',
    });
    const events = await expectEvents(h, [
      'customer.created',
      'payment_method.attached',
      'customer.updated',
      'setup_intent.created',
      'setup_intent.succeeded',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.created',
      'checkout.session.completed',
    ]);
    expect(events[0]?.type).toBe('customer.created');
    expect(events.at(-1)?.type).toBe('checkout.session.completed');
    expect((await h.stripe.paymentIntents.list()).data).toHaveLength(0);
  });

  it('shows a decline for 0341, keeps the session open, then takes another card', async () => {
    const customer = await h.stripe.customers.create({ email: 'decline@example.com' });
    await settle(h);
    const session = await subscriptionSession(customer.id);
    const declined = await pay(h, session.id, '4000000000000341');
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({
      status: 'failed',
      error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
    });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    const [pending] = (await h.stripe.subscriptions.list({ customer: customer.id })).data;
    expect(pending).toMatchObject({ status: 'incomplete' });
    expect((await h.stripe.paymentMethods.list({ customer: customer.id })).data).toHaveLength(1);

    expect((await pay(h, session.id, '4242424242424242')).body.status).toBe('complete');
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done.subscription).toBe(pending?.id);
    expect(await h.stripe.subscriptions.retrieve(String(done.subscription))).toMatchObject({
      status: 'active',
    });
    const invoice = await h.stripe.invoices.retrieve(String(done.invoice));
    expect(invoice).toMatchObject({ status: 'paid', attempt_count: 2 });
    const events = await expectEvents(h, [
      'payment_method.attached',
      'customer.updated',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.created',
      'customer.subscription.updated',
      'checkout.session.completed',
    ]);
    // A declined attempt announces nothing; the paid one announces `incomplete`, then `active`.
    expect(eventsOf(events, 'customer.subscription.created').map((e) => e.data.object.status)).toEqual([
      'incomplete',
    ]);
    expect(eventsOf(events, 'customer.subscription.updated').map((e) => e.data.object.status)).toEqual([
      'active',
    ]);
  });

  it('finishes a 3-D Secure subscription payment after the challenge', async () => {
    const session = await subscriptionSession(null);
    const challenge = await pay(h, session.id, '4000002500003155', 'sca@example.com');
    expect(challenge.body.status).toBe('requires_action');
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    await h.post(`/_emulator/payment_intents/${String(challenge.body.payment_intent)}/3ds`, {
      outcome: 'complete',
    });
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done.status).toBe('complete');
    expect(await h.stripe.subscriptions.retrieve(String(done.subscription))).toMatchObject({
      status: 'active',
    });
    const events = await expectEvents(h, [
      'customer.created',
      'payment_method.attached',
      'customer.updated',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'payment_intent.requires_action',
      'invoice.payment_action_required',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.created',
      'customer.subscription.updated',
      'checkout.session.completed',
    ]);
    // Announced `incomplete` before its invoice while the challenge waits, `active` once paid.
    const types = events.map((e) => e.type);
    expect(types.indexOf('customer.subscription.created')).toBeLessThan(types.indexOf('invoice.created'));
    expect(eventsOf(events, 'customer.subscription.created')[0]?.data.object.status).toBe('incomplete');
    expect(events.slice(-2).map((e) => e.type)).toEqual([
      'customer.subscription.updated',
      'checkout.session.completed',
    ]);
    expect(eventsOf(events, 'customer.subscription.updated')[0]?.data.object.status).toBe('active');
  });

  it('refuses a card that declines on attach without creating a subscription', async () => {
    const session = await subscriptionSession(null);
    expect((await pay(h, session.id, '4000000000000002')).body).toMatchObject({
      status: 'failed',
      error: { decline_code: 'generic_decline' },
    });
    expect((await h.stripe.subscriptions.list({ status: 'all' })).data).toHaveLength(0);
  });
});

describe('subscriptions.create', () => {
  it('charges the default card and returns an active subscription', async () => {
    const customer = await subscriber(h);
    await settle(h);
    const sub = await h.stripe.subscriptions.create(
      { customer: customer.id, items: [{ price: plans.basic.id }], metadata: { source: 'api' } },
      { idempotencyKey: 'sub-create-1' },
    );
    expect(sub).toMatchObject({
      object: 'subscription',
      status: 'active',
      metadata: { source: 'api' },
      currency: 'usd',
      test_clock: null,
      discounts: [],
    });
    expect(sub.id).toMatch(/^sub_/);
    const again = await h.stripe.subscriptions.create(
      { customer: customer.id, items: [{ price: plans.basic.id }], metadata: { source: 'api' } },
      { idempotencyKey: 'sub-create-1' },
    );
    expect(again.id).toBe(sub.id);
    const invoice = await h.stripe.invoices.retrieve(String(sub.latest_invoice));
    expect(invoice).toMatchObject({
      status: 'paid',
      amount_paid: 1000,
      billing_reason: 'subscription_create',
    });
    const events = await expectEvents(h, [...CHARGED_INVOICE_EVENTS, 'customer.subscription.created']);
    expect(events.at(-1)?.request?.idempotency_key).toBe('sub-create-1');
    expect((await h.stripe.subscriptions.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([
      sub.id,
    ]);
    expect((await h.stripe.subscriptions.list({ price: plans.pro.id })).data).toHaveLength(0);
  });

  it('starts a trial without charging', async () => {
    const customer = await subscriber(h);
    await settle(h);
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
      trial_period_days: 7,
    });
    expect(sub).toMatchObject({ status: 'trialing' });
    expect(sub.trial_end).toBe(sub.created + 7 * DAY);
    await expectEvents(h, [
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.created',
    ]);
  });

  it('is incomplete when the first payment fails, and expires after 23 hours', async () => {
    const customer = await subscriber(h, { card: 'pm_card_chargeCustomerFail' });
    await settle(h);
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
    });
    expect(sub.status).toBe('incomplete');
    expect(await h.stripe.invoices.retrieve(String(sub.latest_invoice))).toMatchObject({
      status: 'open',
      attempt_count: 1,
      next_payment_attempt: null,
    });
    await h.post('/_emulator/clock/advance', { seconds: 23 * 3600 + 5 });
    const expired = await h.stripe.subscriptions.retrieve(sub.id);
    expect(expired).toMatchObject({ status: 'incomplete_expired' });
    expect(await h.stripe.invoices.retrieve(String(sub.latest_invoice))).toMatchObject({ status: 'void' });
    const events = await expectEvents(h, [
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'customer.subscription.created',
      'payment_intent.canceled',
      'invoice.voided',
      'customer.subscription.updated',
    ]);
    const updated = eventsOf(events, 'customer.subscription.updated')[0];
    expect(updated?.data.previous_attributes).toMatchObject({ status: 'incomplete' });
    expect(updated?.created).toBe(sub.created + 23 * 3600);
    expect((await h.stripe.subscriptions.list({ status: 'ended' })).data.map((s) => s.id)).toEqual([sub.id]);
  });

  it('leaves the first payment to the client with default_incomplete', async () => {
    const customer = await h.stripe.customers.create({ email: 'client@example.com' });
    await settle(h);
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
      payment_behavior: 'default_incomplete',
      payment_settings: { save_default_payment_method: 'on_subscription' },
      expand: ['latest_invoice.confirmation_secret'],
    });
    expect(sub.status).toBe('incomplete');
    const invoice = sub.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({
      status: 'open',
      attempt_count: 0,
      confirmation_secret: { type: 'payment_intent', client_secret: expect.stringContaining('_secret_') },
    });
    const [payment] = (await h.stripe.invoicePayments.list({ invoice: invoice.id })).data;
    const pi = await h.stripe.paymentIntents.confirm(String(payment?.payment.payment_intent), {
      payment_method: 'pm_card_visa',
    });
    expect(pi.status).toBe('succeeded');
    const active = await h.stripe.subscriptions.retrieve(sub.id);
    expect(active).toMatchObject({ status: 'active', default_payment_method: pi.payment_method });
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'paid', amount_paid: 3000 });
    const events = await expectEvents(h, [
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'customer.subscription.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.updated',
    ]);
    expect(eventsOf(events, 'customer.subscription.updated')[0]?.data.previous_attributes).toMatchObject({
      status: 'incomplete',
      default_payment_method: null,
    });
  });

  it('validates its parameters like Stripe', async () => {
    const customer = await subscriber(h);
    expect(
      await stripeError(
        h.stripe.subscriptions.create({ customer: 'cus_missing', items: [{ price: plans.pro.id }] }),
      ),
    ).toMatchObject({ code: 'resource_missing', param: 'customer' });
    const oneTime = await h.stripe.prices.create({
      product: plans.proProduct,
      currency: 'usd',
      unit_amount: 500,
    });
    expect(
      await stripeError(
        h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: oneTime.id }] }),
      ),
    ).toMatchObject({ param: 'items[0][price]' });
    expect(
      await stripeError(
        h.stripe.subscriptions.create({
          customer: customer.id,
          items: [{ price: plans.pro.id }],
          default_payment_method: 'pm_nope',
        }),
      ),
    ).toMatchObject({ param: 'default_payment_method' });
    expect(
      await stripeError(
        h.stripe.subscriptions.create({
          customer: customer.id,
          items: [{ price: plans.pro.id }],
          pending_invoice_item_interval: { interval: 'month' },
        }),
      ),
    ).toMatchObject({ code: 'parameter_unknown' });
    expect(await stripeError(h.stripe.subscriptions.retrieve('sub_missing'))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });
});
