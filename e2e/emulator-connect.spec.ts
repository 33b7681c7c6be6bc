import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import Stripe from 'stripe';
import { startEmulator, type RunningEmulator } from '@tollgate/stripe-emulator';

// The emulator's Connect pages in a real browser: hosted onboarding through an Account Link, and
// hosted Checkout for a connected account and for a standalone account with its own key. The
// spec starts its own emulator and a tiny "platform" site to return to (E2E_EMULATOR_ONLY=1 skips
// the full-stack global setup).

let emulator: RunningEmulator;
let platform: Stripe;
let site: Server;
let siteUrl: string;

const sdk = (key: string) =>
  new Stripe(key, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0 });

test.beforeAll(async () => {
  emulator = await startEmulator({ port: 0, dataFile: null, quiet: true });
  platform = sdk('sk_test_e2eEmulatorConnect');
  site = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><title>Platform</title><h1>Back on ${url.pathname.slice(1)}</h1>`);
  });
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await emulator?.close();
  await new Promise((done) => site?.close(done));
});

async function payWith4242(page: Page, session: Stripe.Checkout.Session) {
  await page.goto(session.url ?? '');
  await page.getByLabel('Email').fill('client@example.com');
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiration date').fill(`12 / ${String(new Date().getFullYear() + 2).slice(2)}`);
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Cardholder name').fill('Casey Client');
  await page.getByRole('button', { name: /^Pay/ }).click();
  await expect(page.getByRole('heading')).toHaveText('Back on paid');
}

async function sessionOn(stripe: Stripe, options: Stripe.RequestOptions, fee?: number) {
  const product = await stripe.products.create(
    { name: 'Invoice INV-0007', default_price_data: { currency: 'usd', unit_amount: 45_000 } },
    options,
  );
  return stripe.checkout.sessions.create(
    {
      mode: 'payment',
      line_items: [{ price: String(product.default_price), quantity: 1 }],
      success_url: `${siteUrl}/paid`,
      ...(fee ? { payment_intent_data: { application_fee_amount: fee } } : {}),
    },
    options,
  );
}

test('onboards a connected account on the hosted page, then its client pays with 4242', async ({ page }) => {
  const account = await platform.accounts.create({ type: 'standard', email: 'studio@example.com' });
  const link = await platform.accountLinks.create({
    account: account.id,
    type: 'account_onboarding',
    refresh_url: `${siteUrl}/refresh`,
    return_url: `${siteUrl}/return`,
  });
  await page.goto(link.url);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('studio@example.com');
  await page.getByRole('button', { name: 'Agree and submit' }).click();
  await expect(page.getByRole('heading')).toHaveText('Back on return');
  expect((await platform.accounts.retrieve(account.id)).charges_enabled).toBe(true);
  // The link was used: visiting it again asks the platform for a fresh one.
  await page.goto(link.url);
  await expect(page.getByRole('heading')).toHaveText('Back on refresh');

  const as = { stripeAccount: account.id };
  const session = await sessionOn(platform, as, 1_350);
  await payWith4242(page, session);
  const done = await platform.checkout.sessions.retrieve(session.id, {}, as);
  expect(done).toMatchObject({ status: 'complete', payment_status: 'paid' });
  const fees = await platform.applicationFees.list();
  expect(fees.data.map((fee) => [fee.account, fee.amount])).toEqual([[account.id, 1_350]]);
});

test('a standalone account’s client pays its session with 4242', async ({ page, request }) => {
  const created = await request.post(`${emulator.url}/_emulator/accounts`, {
    data: { business_name: 'Shop' },
  });
  expect(created.status()).toBe(201);
  const { restricted_key: key } = (await created.json()) as { restricted_key: string };
  const own = sdk(key);
  const session = await sessionOn(own, {});
  await payWith4242(page, session);
  expect((await own.checkout.sessions.retrieve(session.id)).status).toBe('complete');
  await expect(platform.checkout.sessions.retrieve(session.id)).rejects.toMatchObject({ statusCode: 404 });
});
