import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventsOf, expectEvents, period, settle, subscriber, harnessWithCatalog } from './billing-helpers';
import { stripeError, submitForm as submit } from './helpers';

const { h, plans } = harnessWithCatalog();
let customer: Stripe.Customer;
let sub: Stripe.Subscription;

beforeEach(async () => {
  customer = await subscriber(h, { email: 'portal@example.com' });
  sub = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: plans.basic.id }] });
  await settle(h);
});

/** A portal session for the customer (its creation event already delivered and dropped). */
async function portal(): Promise<Stripe.BillingPortal.Session> {
  const session = await h.stripe.billingPortal.sessions.create({
    customer: customer.id,
    return_url: 'https://app.example/billing',
  });
  await settle(h);
  return session;
}

const page = async (url: string) => (await fetch(url)).text();

describe('billing portal sessions', () => {
  it('creates a session with a hosted page and announces it', async () => {
    const session = await h.stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: 'https://app.example/billing',
    });
    expect(session).toMatchObject({
      object: 'billing_portal.session',
      customer: customer.id,
      return_url: 'https://app.example/billing',
      livemode: false,
      flow: null,
    });
    expect(session.id).toMatch(/^bps_/);
    expect(session.configuration).toMatch(/^bpc_/);
    expect(session.url).toBe(`${h.emulator.url}/p/session/${session.id}`);
    const events = await expectEvents(h, ['billing_portal.session.created']);
    expect(eventsOf(events, 'billing_portal.session.created')[0]?.data.object).toMatchObject({
      id: session.id,
    });
    expect(
      await stripeError(h.stripe.billingPortal.sessions.create({ customer: 'cus_missing' })),
    ).toMatchObject({ code: 'resource_missing', param: 'customer' });
    expect(
      await stripeError(
        h.stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'not a url' }),
      ),
    ).toMatchObject({ param: 'return_url' });
  });

  it('shows the plan, the card and the invoices, with a way back', async () => {
    const session = await portal();
    const html = await page(session.url);
    expect(html).toContain('Basic');
    expect(html).toContain('$10.00 per month');
    expect(html).toContain('Active');
    expect(html).toContain(
      `Your plan renews on ${new Date(period(sub).end * 1000).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })}`,
    );
    expect(html).toContain('visa •••• 4242');
    expect(html).toContain('href="https://app.example/billing"');
    expect(html).toContain('Return to app.example');
    const invoice = await h.stripe.invoices.retrieve(String(sub.latest_invoice));
    expect(html).toContain(`href="${String(invoice.hosted_invoice_url)}"`);
    await h.post('/_emulator/settings', { business_name: 'Tollgate' });
    expect(await page(session.url)).toContain('Return to Tollgate');
    expect((await fetch(`${h.emulator.url}/p/session/bps_missing`)).status).toBe(404);
  });

  it('cancels at the period end and renews', async () => {
    const session = await portal();
    expect(await page(`${session.url}/cancel?subscription=${sub.id}`)).toContain(
      'still available until the end of your billing period',
    );
    const canceled = await submit(`${session.url}/cancel`, { subscription: sub.id });
    expect(canceled).toMatchObject({ status: 303, location: `/p/session/${session.id}?notice=canceled` });
    expect(await h.stripe.subscriptions.retrieve(sub.id)).toMatchObject({
      cancel_at_period_end: true,
      cancel_at: period(sub).end,
    });
    const after = await page(`${session.url}?notice=canceled`);
    expect(after).toContain('Your plan will be canceled on');
    expect(after).toContain('Renew plan');
    await submit(`${session.url}/renew`, { subscription: sub.id });
    expect(await h.stripe.subscriptions.retrieve(sub.id)).toMatchObject({
      cancel_at_period_end: false,
      cancel_at: null,
    });
    const events = await expectEvents(h, ['customer.subscription.updated']);
    expect(
      eventsOf(events, 'customer.subscription.updated').map((e) => e.data.object.cancel_at_period_end),
    ).toEqual([true, false]);
  });

  it('switches plans with proration, offering the active recurring prices', async () => {
    await h.post('/_emulator/clock/advance', { seconds: 10 * 24 * 3600 });
    const session = await portal();
    const plansPage = await page(`${session.url}/plans?subscription=${sub.id}`);
    expect(plansPage).toContain('Current plan');
    expect(plansPage).toContain('$30.00 per month');
    expect(plansPage).toContain('$300.00 per year');
    const confirm = await page(`${session.url}/confirm?subscription=${sub.id}&price=${plans.pro.id}`);
    expect(confirm).toContain('Confirm your new plan');
    expect(confirm).toContain('will be added to your next invoice');
    const switched = await submit(`${session.url}/switch`, { subscription: sub.id, price: plans.pro.id });
    expect(switched.location).toBe(`/p/session/${session.id}?notice=plan_updated`);
    const updated = await h.stripe.subscriptions.retrieve(sub.id);
    expect(updated.items.data[0]?.price.id).toBe(plans.pro.id);
    expect(await page(`${session.url}?notice=plan_updated`)).toContain('Your plan has been updated.');
    await expectEvents(h, ['invoiceitem.created', 'customer.subscription.updated']);
    // Someone else's subscription cannot be changed through this session.
    const other = await subscriber(h, { email: 'other@example.com' });
    const theirs = await h.stripe.subscriptions.create({
      customer: other.id,
      items: [{ price: plans.basic.id }],
    });
    await submit(`${session.url}/cancel`, { subscription: theirs.id });
    expect((await h.stripe.subscriptions.retrieve(theirs.id)).cancel_at_period_end).toBe(false);
  });

  it('updates the card: 0341 is accepted, a declining card is refused', async () => {
    const session = await portal();
    const card = { cardExpiry: '12 / 40', cardCvc: '123', billingName: 'Pat Portal' };
    const refused = await submit(`${session.url}/payment-method`, {
      ...card,
      cardNumber: '4000 0000 0000 0002',
    });
    expect(refused.status).toBe(402);
    expect(refused.text).toContain('Your card was declined.');
    const saved = await submit(`${session.url}/payment-method`, {
      ...card,
      cardNumber: '4000 0000 0000 0341',
    });
    expect(saved.status).toBe(303);
    const fresh = (await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    const pm = await h.stripe.paymentMethods.retrieve(String(fresh.invoice_settings.default_payment_method));
    expect(pm).toMatchObject({
      customer: customer.id,
      card: { last4: '0341' },
      billing_details: { name: 'Pat Portal' },
    });
    expect(await page(session.url)).toContain('visa •••• 0341');
    await expectEvents(h, ['payment_method.attached', 'customer.updated']);
  });
});
