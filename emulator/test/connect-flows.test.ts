import { describe, expect, it } from 'vitest';
import { connected, sdkWith, sessionOn, standalone } from './connect-helpers';
import { harnessPerTest, pay } from './helpers';

const h = harnessPerTest();
const DAY = 24 * 60 * 60;

describe('flows on other accounts', () => {
  it('takes a connected account’s 3-D Secure payment through the challenge page', async () => {
    const account = await connected(h);
    const as = { stripeAccount: account.id };
    const session = await sessionOn(h.stripe, as);
    const challenge = await pay(h, session.id, '4000002500003155');
    expect(challenge.body).toMatchObject({ status: 'requires_action' });
    const page = await fetch(String(challenge.body.redirect_url));
    expect(page.status).toBe(200);
    const done = await h.post(`/_emulator/payment_intents/${String(challenge.body.payment_intent)}/3ds`, {
      outcome: 'complete',
    });
    expect(done.body).toMatchObject({ status: 'succeeded', redirect_url: 'https://app.example/pay/done' });
    expect((await h.stripe.checkout.sessions.retrieve(session.id, {}, as)).status).toBe('complete');
  });

  it('renews a standalone account’s subscription when time passes, and only there', async () => {
    const shop = await standalone(h);
    const own = sdkWith(h, shop.restricted_key);
    const product = await own.products.create({
      name: 'Retainer',
      default_price_data: { currency: 'usd', unit_amount: 5_000, recurring: { interval: 'month' } },
    });
    const customer = await own.customers.create({ email: 'client@example.com' });
    const pm = await own.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const sub = await own.subscriptions.create({
      customer: customer.id,
      items: [{ price: String(product.default_price) }],
      default_payment_method: pm.id,
    });
    expect(sub.status).toBe('active');
    const end = sub.items.data[0]?.current_period_end ?? 0;
    expect((await h.post('/_emulator/clock/advance', { seconds: end - sub.created + DAY })).status).toBe(200);
    const invoices = await own.invoices.list({ customer: customer.id });
    expect(invoices.data.map((i) => [i.billing_reason, i.status])).toEqual([
      ['subscription_cycle', 'paid'],
      ['subscription_create', 'paid'],
    ]);
    expect((await h.stripe.invoices.list()).data).toEqual([]);
  });
});
