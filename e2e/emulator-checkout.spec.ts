import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import Stripe from 'stripe';
import { startEmulator, type RunningEmulator } from '@tollgate/stripe-emulator';

// The emulator's hosted Checkout page in a real browser, with Stripe's test cards. The spec
// starts its own emulator and a tiny "shop" to land on (run with E2E_EMULATOR_ONLY=1 to skip
// the full-stack global setup).

let emulator: RunningEmulator;
let stripe: Stripe;
let shop: Server;
let shopUrl: string;
let priceId: string;

test.beforeAll(async () => {
  emulator = await startEmulator({ port: 0, dataFile: null, quiet: true });
  stripe = new Stripe('sk_test_e2eEmulatorCheckout', {
    host: '127.0.0.1',
    port: emulator.port,
    protocol: 'http',
  });
  const product = await stripe.products.create({
    name: 'Credit pack',
    default_price_data: { currency: 'usd', unit_amount: 1250 },
  });
  priceId = String(product.default_price);
  shop = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://shop');
    const heading = url.pathname === '/success' ? 'Thanks for your order' : 'Your cart';
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(
      `<!doctype html><title>Shop</title><h1>${heading}</h1><p>Session: ${url.searchParams.get('session_id') ?? 'none'}</p>`,
    );
  });
  await new Promise<void>((done) => shop.listen(0, '127.0.0.1', done));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await emulator?.close();
  await new Promise((done) => shop?.close(done));
});

async function newSession(): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ price: priceId, quantity: 2 }],
    success_url: `${shopUrl}/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${shopUrl}/cart`,
  });
}

async function fillCard(page: Page, card: string, button: RegExp = /^Pay/) {
  // A session for a known customer shows its email read-only.
  const email = page.getByLabel('Email');
  if (await email.isEditable()) await email.fill('shopper@example.com');
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiration date').fill(`12 / ${String(new Date().getFullYear() + 2).slice(2)}`);
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Cardholder name').fill('Sam Shopper');
  await page.getByRole('button', { name: button }).click();
}

test('pays with 4242 and lands on success_url with the session id', async ({ page }) => {
  const session = await newSession();
  await page.goto(session.url ?? '');
  await expect(page.getByRole('table', { name: 'Order summary' })).toContainText('Credit pack');
  await expect(page.getByTestId('total')).toHaveText('$25.00');
  await fillCard(page, '4242 4242 4242 4242');
  await expect(page).toHaveURL(`${shopUrl}/success?session_id=${session.id}`);
  await expect(page.getByRole('heading')).toHaveText('Thanks for your order');
  await expect(page.getByText(`Session: ${session.id}`)).toBeVisible();
  const done = await stripe.checkout.sessions.retrieve(session.id);
  expect(done.status).toBe('complete');
  expect(done.payment_status).toBe('paid');
});

for (const [card, message] of [
  ['4000 0000 0000 0002', 'Your card was declined.'],
  ['4000 0000 0000 9995', 'Your card has insufficient funds.'],
  ['4000 0000 0000 0069', 'Your card has expired.'],
  ['4000 0000 0000 0341', 'Your card was declined.'],
] as const) {
  test(`shows the decline for ${card} and keeps the session open`, async ({ page }) => {
    const session = await newSession();
    await page.goto(session.url ?? '');
    await fillCard(page, card);
    await expect(page.getByRole('alert')).toHaveText(message);
    await expect(page).toHaveURL(session.url ?? '');
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });
}

test('completes 3-D Secure on the challenge page', async ({ page }) => {
  const session = await newSession();
  await page.goto(session.url ?? '');
  await fillCard(page, '4000 0025 0000 3155');
  await expect(page.getByRole('heading', { name: '3D Secure 2 Test Page' })).toBeVisible();
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(page).toHaveURL(`${shopUrl}/success?session_id=${session.id}`);
  expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
});

test('fails 3-D Secure, shows why, and then takes another card', async ({ page }) => {
  const session = await newSession();
  await page.goto(session.url ?? '');
  await fillCard(page, '4000 0025 0000 3155');
  await page.getByRole('button', { name: 'Fail', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('We are unable to authenticate your payment method');
  expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  await fillCard(page, '4242424242424242');
  await expect(page).toHaveURL(`${shopUrl}/success?session_id=${session.id}`);
});

test('the Back link returns to cancel_url', async ({ page }) => {
  const session = await newSession();
  await page.goto(session.url ?? '');
  await page.getByRole('link', { name: /Back/ }).click();
  await expect(page).toHaveURL(`${shopUrl}/cart`);
  await expect(page.getByRole('heading')).toHaveText('Your cart');
});

// https://docs.stripe.com/payments/checkout/free-trials: a trial saves the card through a
// SetupIntent, so a card that needs authentication (3184) meets the challenge at signup.
test('a trial asks 3184 to authenticate; a failed challenge keeps the session open, another card starts it', async ({
  page,
}) => {
  const plan = await stripe.prices.create({
    currency: 'usd',
    unit_amount: 2900,
    recurring: { interval: 'month' },
    product_data: { name: 'Pro plan' },
  });
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: plan.id, quantity: 1 }],
    subscription_data: { trial_period_days: 14 },
    success_url: `${shopUrl}/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${shopUrl}/cart`,
  });
  await page.goto(session.url ?? '');
  await fillCard(page, '4000 0027 6000 3184', /^Start trial/);
  await expect(page.getByText('saving a card for later payments')).toBeVisible();
  await page.getByRole('button', { name: 'Fail', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('We are unable to authenticate your payment method');
  expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({
    status: 'open',
    subscription: null,
  });
  await fillCard(page, '4242 4242 4242 4242', /^Start trial/);
  await expect(page).toHaveURL(`${shopUrl}/success?session_id=${session.id}`);
  const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription'] });
  expect((done.subscription as Stripe.Subscription).status).toBe('trialing');
});

// https://docs.stripe.com/payments/save-and-reuse?platform=checkout: setup mode saves a card.
test('setup mode saves a 3155 card to the customer after the challenge', async ({ page }) => {
  const customer = await stripe.customers.create({ email: 'saver@example.com' });
  const session = await stripe.checkout.sessions.create({
    mode: 'setup',
    customer: customer.id,
    success_url: `${shopUrl}/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${shopUrl}/cart`,
  });
  await page.goto(session.url ?? '');
  await expect(page.getByRole('table', { name: 'Order summary' })).toHaveCount(0);
  await fillCard(page, '4000 0025 0000 3155', /^Save card/);
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(page).toHaveURL(`${shopUrl}/success?session_id=${session.id}`);
  const cards = await stripe.paymentMethods.list({ customer: customer.id });
  expect(cards.data.map((pm) => pm.card?.last4)).toEqual(['3155']);
});
