// A workspace connects its own Stripe account (issue #17), each of the two ways: through Stripe
// Connect (hosted onboarding on the emulator, then account.updated on the Connect endpoint), and
// by pasting a restricted key (the emulator's standalone account; its events then arrive at the
// workspace's own webhook URL). The header shows the state with TEST MODE.
import { expect, test, type Page } from '@playwright/test';
import Stripe from 'stripe';
import { signUp, uniqueEmail } from './support/auth';
import { query } from './support/checkout';

test.describe.configure({ timeout: 180_000 });

const emulatorUrl = () => process.env.E2E_EMULATOR_URL!;

function statusCard(page: Page) {
  return page.getByTestId('stripe-status');
}

/** The webhook owns the state: reload until it has arrived. */
async function eventuallyStatus(page: Page, text: string) {
  await expect
    .poll(
      async () => {
        await page.goto('/workspace/stripe');
        return statusCard(page).innerText();
      },
      { timeout: 30_000 },
    )
    .toContain(text);
}

test('connect through Stripe Connect: hosted onboarding, then the state arrives by webhook', async ({
  page,
}) => {
  await signUp(page, uniqueEmail('connect'), 'a long test password', 'Connie Connect');
  await page.goto('/workspace');
  await page.getByRole('link', { name: 'Stripe', exact: true }).click();
  await expect(page).toHaveURL(/\/workspace\/stripe$/);
  await expect(statusCard(page)).toContainText('Stripe not connected');
  await expect(page.getByTestId('workspace-stripe')).toHaveCount(0);

  await page.getByLabel(/^Express/).check();
  await page.getByRole('button', { name: 'Connect with Stripe' }).click();
  // Stripe's (the emulator's) hosted onboarding page.
  await expect(page.getByRole('button', { name: 'Agree and submit' })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(new URL(emulatorUrl()).origin);
  await page.getByRole('button', { name: 'Agree and submit' }).click();

  await expect(page).toHaveURL(/\/workspace\/stripe\?onboarding=returned$/);
  await eventuallyStatus(page, 'Stripe connected (test mode)');
  await expect(statusCard(page)).toContainText('via Stripe Connect');
  await expect(statusCard(page)).toContainText('Charges enabled');
  await expect(statusCard(page).getByText('TEST MODE')).toBeVisible();
  // The header says so on every page of the workspace.
  await page.goto('/dashboard');
  await expect(page.getByTestId('workspace-stripe')).toContainText('Stripe connected (test mode)');
  await expect(page.getByTestId('workspace-stripe').getByText('TEST MODE')).toBeVisible();
});

test('connect with a restricted key: checked, its events verified at the workspace’s URL; then disconnect', async ({
  page,
}) => {
  const created = await fetch(`${emulatorUrl()}/_emulator/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ business_name: 'Keyed Studio' }),
  });
  expect(created.status).toBe(201);
  const account = (await created.json()) as { id: string; restricted_key: string };

  const email = uniqueEmail('rk');
  await signUp(page, email, 'a long test password', 'Kim Key');
  await page.goto('/workspace/stripe');

  // A key of the wrong kind is refused before it reaches Stripe.
  await page.getByLabel('Restricted key').fill('sk_test_notARestrictedKey');
  await page.getByRole('button', { name: 'Connect key' }).click();
  await expect(page.getByText('Paste a restricted key: it starts with rk_test_ or rk_live_')).toBeVisible();

  await page.getByLabel('Restricted key').fill(account.restricted_key);
  await page.getByRole('button', { name: 'Connect key' }).click();
  await expect(page.getByText('Stripe connected. The key is stored encrypted')).toBeVisible();
  await expect(statusCard(page)).toContainText('Stripe connected (test mode)');
  await expect(statusCard(page)).toContainText(account.id);
  await expect(statusCard(page)).toContainText('via a restricted key');
  // The page never shows the key itself.
  await expect(page.locator('body')).not.toContainText(account.restricted_key);
  await expect(page.getByTestId('workspace-stripe')).toContainText('Stripe connected (test mode)');

  // A payment on that account: Stripe delivers its event to the workspace's own URL, where it is
  // verified with the workspace's secret and recorded for this workspace.
  const url = new URL(emulatorUrl());
  const client = new Stripe(account.restricted_key, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
  });
  const intent = await client.paymentIntents.create({
    amount: 1500,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    confirm: true,
  });
  expect(intent.status).toBe('succeeded');
  await expect
    .poll(
      async () => {
        const rows = await query<{ status: string; account: string; email: string }>(
          `SELECT e.status::text AS status, e.account, u.email FROM "WebhookEvent" e
             JOIN "Workspace" w ON w.id = e."workspaceId" JOIN "User" u ON u.id = w."personalOfId"
           WHERE e.type = 'payment_intent.succeeded' AND e."objectId" = $1`,
          [intent.id],
        );
        return rows[0] ?? null;
      },
      { timeout: 30_000 },
    )
    .toEqual({ status: 'processed', account: account.id, email });

  // Disconnect: the workspace forgets the account and its endpoint goes.
  await page.getByRole('button', { name: 'Disconnect Stripe' }).click();
  await page.getByRole('button', { name: 'Yes, disconnect stripe' }).click();
  await expect(page.getByText('Stripe disconnected.')).toBeVisible();
  await page.goto('/workspace/stripe');
  await expect(statusCard(page)).toContainText('Stripe not connected');
  expect((await client.webhookEndpoints.list()).data).toHaveLength(0);
});
