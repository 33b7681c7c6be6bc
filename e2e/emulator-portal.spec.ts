import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import Stripe from 'stripe';
import { startEmulator, type RunningEmulator } from '@tollgate/stripe-emulator';

// The emulator's hosted subscription Checkout (with a promotion code) and billing portal in a
// real browser. Self-contained: its own in-memory emulator and a tiny "app" to return to
// (run with E2E_EMULATOR_ONLY=1 to skip the full-stack global setup).

let emulator: RunningEmulator;
let stripe: Stripe;
let app: Server;
let appUrl: string;
let basic: Stripe.Price;
let pro: Stripe.Price;

test.beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    dataFile: null,
    quiet: true,
    billing: { business_name: 'Tollgate' },
  });
  stripe = new Stripe('sk_test_e2eEmulatorPortal', {
    host: '127.0.0.1',
    port: emulator.port,
    protocol: 'http',
  });
  const basicProduct = await stripe.products.create({ name: 'Basic' });
  const proProduct = await stripe.products.create({ name: 'Pro' });
  basic = await stripe.prices.create({
    product: basicProduct.id,
    currency: 'usd',
    unit_amount: 1000,
    recurring: { interval: 'month' },
  });
  pro = await stripe.prices.create({
    product: proProduct.id,
    currency: 'usd',
    unit_amount: 3000,
    recurring: { interval: 'month' },
  });
  const coupon = await stripe.coupons.create({ percent_off: 20, duration: 'forever', name: 'Welcome' });
  await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: 'WELCOME20' });
  app = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    const heading =
      url.pathname === '/billing/success'
        ? 'Welcome aboard'
        : url.pathname === '/billing'
          ? 'Your billing'
          : 'Pricing';
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><title>App</title><h1>${heading}</h1>`);
  });
  await new Promise<void>((done) => app.listen(0, '127.0.0.1', done));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await emulator?.close();
  await new Promise((done) => app?.close(done));
});

async function subscriptionCheckout(customer: string): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: 'subscription',
    customer,
    line_items: [{ price: pro.id, quantity: 1 }],
    allow_promotion_codes: true,
    success_url: `${appUrl}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${appUrl}/pricing`,
  });
}

async function fillCard(page: Page, card: string) {
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiration date').fill(`12 / ${String(new Date().getFullYear() + 2).slice(2)}`);
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Cardholder name').fill('Sam Subscriber');
}

test('subscribes with a promotion code, then switches plans and cancels in the portal', async ({ page }) => {
  const customer = await stripe.customers.create({ email: 'sam@example.com' });
  const session = await subscriptionCheckout(customer.id);
  await page.goto(session.url ?? '');
  await expect(page.getByTestId('total')).toHaveText('$30.00');
  await expect(page.getByLabel('Email')).toHaveValue('sam@example.com');

  await page.getByLabel('Promotion code').fill('NOPE');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert')).toHaveText('This code is invalid.');
  await page.getByLabel('Promotion code').fill('welcome20');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('promotion-code')).toHaveText('WELCOME20');
  await expect(page.getByTestId('discount')).toHaveText('−$6.00');
  await expect(page.getByTestId('total')).toHaveText('$24.00');

  await fillCard(page, '4242 4242 4242 4242');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page).toHaveURL(`${appUrl}/billing/success?session_id=${session.id}`);
  await expect(page.getByRole('heading')).toHaveText('Welcome aboard');
  const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['invoice'] });
  expect(done.status).toBe('complete');
  expect(done.invoice).toMatchObject({ status: 'paid', amount_paid: 2400 });
  const subscriptionId = String(done.subscription);
  expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe('active');

  const portal = await stripe.billingPortal.sessions.create({
    customer: customer.id,
    return_url: `${appUrl}/billing`,
  });
  await page.goto(portal.url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tollgate');
  const plan = page.getByRole('article', { name: 'Pro subscription' });
  await expect(plan.getByTestId('plan-price')).toHaveText('$30.00 per month');
  await expect(plan.getByTestId('plan-status')).toHaveText('Active');
  await expect(plan).toContainText('Your plan renews on');
  await expect(page.getByTestId('payment-method')).toContainText('visa •••• 4242');
  await expect(page.getByRole('table', { name: 'Invoice history' })).toContainText('$24.00');

  await plan.getByRole('link', { name: 'Update plan' }).click();
  await expect(page.getByRole('heading', { name: 'Update plan' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Available plans' })).toContainText('Current plan');
  await page.getByRole('link', { name: 'Select Basic' }).click();
  await expect(page.getByRole('heading', { name: 'Confirm your new plan' })).toBeVisible();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('status')).toHaveText('Your plan has been updated.');
  const switched = page.getByRole('article', { name: 'Basic subscription' });
  await expect(switched.getByTestId('plan-price')).toHaveText('$10.00 per month');
  expect((await stripe.subscriptions.retrieve(subscriptionId)).items.data[0]?.price.id).toBe(basic.id);

  await switched.getByRole('link', { name: 'Cancel plan' }).click();
  await expect(page.getByRole('heading', { name: 'Cancel your plan' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel plan' }).click();
  await expect(page.getByRole('status')).toContainText('Your plan has been canceled.');
  const canceled = await stripe.subscriptions.retrieve(subscriptionId);
  expect(canceled).toMatchObject({ status: 'active', cancel_at_period_end: true });
  const endDate = new Date((canceled.cancel_at ?? 0) * 1000).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
  await expect(page.getByTestId('cancel-notice')).toHaveText(`Your plan will be canceled on ${endDate}.`);
  await expect(page.getByRole('button', { name: 'Renew plan' })).toBeVisible();

  await page.getByRole('link', { name: 'Return to Tollgate' }).click();
  await expect(page).toHaveURL(`${appUrl}/billing`);
  await expect(page.getByRole('heading')).toHaveText('Your billing');
});

test('shows a 0341 decline on subscription Checkout, then updates the card in the portal', async ({
  page,
}) => {
  const customer = await stripe.customers.create({ email: 'pat@example.com' });
  const session = await subscriptionCheckout(customer.id);
  await page.goto(session.url ?? '');
  await fillCard(page, '4000 0000 0000 0341');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByRole('alert')).toHaveText('Your card was declined.');
  expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  await fillCard(page, '4242 4242 4242 4242');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page).toHaveURL(`${appUrl}/billing/success?session_id=${session.id}`);

  const portal = await stripe.billingPortal.sessions.create({
    customer: customer.id,
    return_url: `${appUrl}/billing`,
  });
  await page.goto(portal.url);
  await page.getByRole('link', { name: 'Update payment method' }).click();
  await fillCard(page, '4000 0000 0000 0002');
  await page.getByRole('button', { name: 'Save card' }).click();
  await expect(page.getByRole('alert')).toHaveText('Your card was declined.');
  await fillCard(page, '4000 0000 0000 0341');
  await page.getByRole('button', { name: 'Save card' }).click();
  await expect(page.getByRole('status')).toHaveText('Your payment method has been updated.');
  await expect(page.getByTestId('payment-method')).toContainText('visa •••• 0341');
});
