import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { pay, stripeError, harnessPerTest } from './helpers';

const h = harnessPerTest();
let oneTime: string;
let monthly: string;
let planProduct: string;

beforeEach(async () => {
  const product = await h.stripe.products.create({
    name: 'Credits pack',
    default_price_data: { currency: 'usd', unit_amount: 1500 },
  });
  oneTime = String(product.default_price);
  const plan = await h.stripe.products.create({
    name: 'Pro plan',
    default_price_data: { currency: 'usd', unit_amount: 2900, recurring: { interval: 'month' } },
  });
  monthly = String(plan.default_price);
  planProduct = plan.id;
  await h.flush();
  h.receiver.deliveries.length = 0;
});

function paymentSession(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return h.stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ price: oneTime, quantity: 2 }],
    success_url: 'https://app.example/billing/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://app.example/billing',
    client_reference_id: 'user_7',
    metadata: { purpose: 'credits' },
    payment_intent_data: { metadata: { purpose: 'credits', user: '7' } },
    ...extra,
  });
}

describe('checkout sessions (payment mode)', () => {
  it('creates an open session with its hosted page', async () => {
    const session = await paymentSession();
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: 3000,
      amount_total: 3000,
      currency: 'usd',
      client_reference_id: 'user_7',
      metadata: { purpose: 'credits' },
      payment_intent: null,
      customer: null,
      customer_creation: 'always',
      url: `${h.emulator.url}/c/pay/${session.id}`,
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.expires_at - session.created).toBe(24 * 60 * 60);
    const page = await fetch(session.url ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('$30.00');

    const items = await h.stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({
      object: 'item',
      quantity: 2,
      amount_total: 3000,
      description: 'Credits pack',
      price: { id: oneTime },
    });
    const expanded = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(expanded.line_items?.data[0]?.id).toBe(items.data[0]?.id);
  });

  it("completes with 4242 and announces it in Stripe's order", async () => {
    const session = await paymentSession();
    const result = await pay(h, session.id, '4242424242424242', 'buyer@example.com');
    expect(result).toEqual({
      status: 200,
      body: {
        status: 'complete',
        redirect_url: `https://app.example/billing/success?session_id=${session.id}`,
      },
    });
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      url: null,
      customer_details: { email: 'buyer@example.com' },
    });
    const customer = await h.stripe.customers.retrieve(String(done.customer));
    expect(customer).toMatchObject({ email: 'buyer@example.com' });
    const pi = await h.stripe.paymentIntents.retrieve(String(done.payment_intent));
    expect(pi).toMatchObject({
      status: 'succeeded',
      amount: 3000,
      customer: done.customer,
      metadata: { purpose: 'credits', user: '7' },
    });

    await h.flush();
    expect(h.receiver.types()).toEqual([
      'customer.created',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
    const completed = h.receiver.ofType('checkout.session.completed')[0]?.data.object;
    expect(completed).toMatchObject({
      id: session.id,
      payment_status: 'paid',
      status: 'complete',
      client_reference_id: 'user_7',
    });
    expect(await pay(h, session.id, '4242424242424242')).toMatchObject({ status: 400 });
  });

  it('uses the given customer and creates none', async () => {
    const customer = await h.stripe.customers.create({ email: 'known@example.com' });
    const session = await paymentSession({ customer: customer.id });
    expect(session.customer_creation).toBeNull();
    expect((await pay(h, session.id, '4242424242424242')).body.status).toBe('complete');
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done.customer).toBe(customer.id);
    expect(done.customer_details?.email).toBe('known@example.com');
    expect((await h.stripe.customers.list()).data).toHaveLength(1);
  });

  it('leaves customer_email sessions with customer_creation if_required as guests', async () => {
    const session = await paymentSession({
      customer_email: 'guest@example.com',
      customer_creation: 'if_required',
    });
    expect((await pay(h, session.id, '4242424242424242', '')).body.status).toBe('complete');
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done.customer).toBeNull();
    expect(done.customer_details?.email).toBe('guest@example.com');
  });

  it.each([
    ['4000000000000002', 'card_declined', 'generic_decline', 'Your card was declined.'],
    ['4000000000009995', 'card_declined', 'insufficient_funds', 'Your card has insufficient funds.'],
    ['4000000000000069', 'expired_card', 'expired_card', 'Your card has expired.'],
    ['4000000000000341', 'card_declined', 'generic_decline', 'Your card was declined.'],
  ])(
    'declines %s, keeps the session open and lets the payer retry',
    async (card, code, declineCode, message) => {
      const session = await paymentSession();
      const declined = await pay(h, session.id, card);
      expect(declined.status).toBe(402);
      expect(declined.body).toMatchObject({
        status: 'failed',
        redirect_url: null,
        error: { type: 'card_error', code, decline_code: declineCode, message },
      });
      const open = await h.stripe.checkout.sessions.retrieve(session.id);
      expect(open).toMatchObject({ status: 'open', payment_status: 'unpaid' });
      expect(open.payment_intent).toMatch(/^pi_/);

      expect((await pay(h, session.id, '4242 4242 4242 4242')).body.status).toBe('complete');
      const done = await h.stripe.checkout.sessions.retrieve(session.id);
      expect(done.payment_intent).toBe(open.payment_intent);
      await h.flush();
      expect(h.receiver.types()).toEqual([
        'customer.created',
        'payment_intent.created',
        'charge.failed',
        'payment_intent.payment_failed',
        'charge.succeeded',
        'payment_intent.succeeded',
        'checkout.session.completed',
      ]);
    },
  );

  it('sends 3-D Secure cards to the challenge, then to success_url', async () => {
    const session = await paymentSession();
    const challenge = await pay(h, session.id, '4000002500003155');
    expect(challenge.body).toMatchObject({
      status: 'requires_action',
      redirect_url: expect.stringContaining(`${h.emulator.url}/3ds/pi_`),
    });
    const piId = String(challenge.body.payment_intent);
    const done = await h.post(`/_emulator/payment_intents/${piId}/3ds`, { outcome: 'complete' });
    expect(done.body).toMatchObject({
      status: 'succeeded',
      redirect_url: `https://app.example/billing/success?session_id=${session.id}`,
    });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
    await h.flush();
    expect(h.receiver.types()).toEqual([
      'customer.created',
      'payment_intent.created',
      'payment_intent.requires_action',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
  });

  it('keeps the session open when 3-D Secure fails', async () => {
    const session = await paymentSession();
    const challenge = await pay(h, session.id, '4000002500003155');
    const failed = await h.post(`/_emulator/payment_intents/${String(challenge.body.payment_intent)}/3ds`, {
      outcome: 'fail',
    });
    expect(failed.body).toMatchObject({ status: 'requires_payment_method', redirect_url: session.url });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    await h.flush();
    expect(h.receiver.types().at(-1)).toBe('payment_intent.payment_failed');
  });

  it('takes a form-encoded body on the pay endpoint too', async () => {
    const session = await paymentSession();
    const response = await fetch(`${h.emulator.url}/_emulator/checkout/sessions/${session.id}/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        card: '4242424242424242',
        email: 'form@example.com',
        exp: '11/40',
        cvc: '999',
      }).toString(),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'complete' });
    const done = await h.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent.payment_method'],
    });
    const pi = done.payment_intent;
    expect(
      typeof pi === 'object' && pi && typeof pi.payment_method === 'object' ? pi.payment_method?.card : null,
    ).toMatchObject({
      exp_month: 11,
      exp_year: 2040,
      last4: '4242',
    });
  });

  it('rejects what a card form would reject, without creating anything', async () => {
    const session = await paymentSession();
    expect((await pay(h, session.id, '4242424242424241')).body).toMatchObject({
      status: 'invalid',
      error: { message: 'Your card number is invalid.' },
    });
    expect((await pay(h, session.id, '4242424242424242', '')).body).toMatchObject({
      status: 'invalid',
      error: { message: 'Your email is incomplete.' },
    });
    const pastExpiry = await h.post(`/_emulator/checkout/sessions/${session.id}/pay`, {
      card: '4242424242424242',
      email: 'a@b.co',
      exp: '01/20',
    });
    expect(pastExpiry.body).toMatchObject({
      status: 'invalid',
      error: { message: "Your card's expiration date is in the past." },
    });
    expect((await h.stripe.paymentIntents.list()).data).toHaveLength(0);
  });

  it('expires through the API, cancelling its PaymentIntent', async () => {
    const session = await paymentSession();
    await pay(h, session.id, '4000000000000002');
    const expired = await h.stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: 'expired', url: null, payment_status: 'unpaid' });
    expect((await h.stripe.paymentIntents.retrieve(String(expired.payment_intent))).status).toBe('canceled');
    expect(await stripeError(h.stripe.checkout.sessions.expire(session.id))).toMatchObject({
      statusCode: 400,
    });
    expect((await pay(h, session.id, '4242424242424242')).status).toBe(400);
    expect((await fetch(`${h.emulator.url}/c/pay/${session.id}`)).status).toBe(410);
    await h.flush();
    expect(h.receiver.types().slice(-2)).toEqual(['checkout.session.expired', 'payment_intent.canceled']);
  });

  it('expires by itself at expires_at', async () => {
    const now = Math.floor(Date.now() / 1000);
    const session = await paymentSession({ expires_at: now + 31 * 60 });
    expect(session.expires_at).toBe(now + 31 * 60);
    await h.post('/_emulator/clock/advance', { seconds: 32 * 60 });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('expired');
    await h.flush();
    expect(h.receiver.types()).toEqual(['checkout.session.expired']);
    expect(h.receiver.deliveries[0]?.event.request).toEqual({ id: null, idempotency_key: null });
  });

  it('validates expires_at, customer and line items', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await stripeError(paymentSession({ expires_at: now + 60 }))).toMatchObject({
      param: 'expires_at',
    });
    expect(await stripeError(paymentSession({ expires_at: now + 25 * 3600 }))).toMatchObject({
      param: 'expires_at',
    });
    const customer = await h.stripe.customers.create();
    expect(
      await stripeError(paymentSession({ customer: customer.id, customer_email: 'x@example.com' })),
    ).toMatchObject({ statusCode: 400 });
    expect(
      await stripeError(paymentSession({ line_items: [{ price: 'price_missing', quantity: 1 }] })),
    ).toMatchObject({
      code: 'resource_missing',
      param: 'line_items[0][price]',
    });
    expect(await stripeError(paymentSession({ line_items: [{ price: oneTime }] }))).toMatchObject({
      code: 'parameter_missing',
      param: 'line_items[0][quantity]',
    });
    expect(
      await stripeError(paymentSession({ line_items: [{ price: monthly, quantity: 1 }] })),
    ).toMatchObject({ param: 'line_items' });
    await h.stripe.prices.update(oneTime, { active: false });
    expect(await stripeError(paymentSession())).toMatchObject({ param: 'line_items[0][price]' });
  });

  it('creates inline prices from price_data that lists leave out', async () => {
    const session = await paymentSession({
      line_items: [
        {
          price_data: { currency: 'usd', unit_amount: 1234, product_data: { name: 'One-off' } },
          quantity: 1,
        },
      ],
    });
    expect(session.amount_total).toBe(1234);
    const [item] = (await h.stripe.checkout.sessions.listLineItems(session.id)).data;
    expect(item).toMatchObject({ description: 'One-off', price: { unit_amount: 1234, active: false } });
    expect((await h.stripe.prices.list()).data.map((p) => p.id)).not.toContain(item?.price?.id);
    expect((await h.stripe.prices.retrieve(item?.price?.id ?? '')).unit_amount).toBe(1234);
  });
});

describe('checkout sessions (subscription mode creation)', () => {
  it('creates a session for recurring prices and keeps subscription settings', async () => {
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: monthly, quantity: 1 }],
      success_url: 'https://app.example/ok',
      allow_promotion_codes: true,
      subscription_data: { trial_period_days: 14, metadata: { plan: 'pro' } },
    });
    expect(session).toMatchObject({
      mode: 'subscription',
      status: 'open',
      allow_promotion_codes: true,
      amount_total: 2900,
      subscription: null,
    });
    // Paying it is covered by subscribe.test.ts.
    const result = await pay(h, session.id, '4242424242424242');
    expect(result.body.status).toBe('complete');
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).subscription).toMatch(/^sub_/);
  });

  it('refuses one-time-only line items and mixed intervals', async () => {
    const base = { mode: 'subscription' as const, success_url: 'https://app.example/ok' };
    expect(
      await stripeError(
        h.stripe.checkout.sessions.create({ ...base, line_items: [{ price: oneTime, quantity: 1 }] }),
      ),
    ).toMatchObject({
      message: 'You must provide at least one recurring price in `subscription` mode when using prices.',
    });
    const yearly = await h.stripe.prices.create({
      product: planProduct,
      currency: 'usd',
      unit_amount: 29000,
      recurring: { interval: 'year' },
    });
    expect(
      await stripeError(
        h.stripe.checkout.sessions.create({
          ...base,
          line_items: [
            { price: monthly, quantity: 1 },
            { price: yearly.id, quantity: 1 },
          ],
        }),
      ),
    ).toMatchObject({ statusCode: 400 });
    expect(
      await stripeError(
        h.stripe.checkout.sessions.create({
          ...base,
          line_items: [{ price: monthly, quantity: 1 }],
          payment_intent_data: { metadata: { a: 'b' } },
        }),
      ),
    ).toMatchObject({ param: 'payment_intent_data' });
  });
});
