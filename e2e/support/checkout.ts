import { expect, type Page } from '@playwright/test';
import Stripe from 'stripe';
import pg from 'pg';

/** Pay on the emulator's hosted checkout page, as a customer would. */
export async function payWithCard(page: Page, card: string) {
  const email = page.getByLabel('Email');
  if ((await email.isVisible().catch(() => false)) && (await email.isEditable().catch(() => false)))
    await email.fill('payer@example.com');
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiration date').fill(`12 / ${String(new Date().getFullYear() + 2).slice(2)}`);
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Cardholder name').fill('Pat Payer');
  await page.getByRole('button', { name: /^(Pay|Subscribe|Start trial)/ }).click();
}

/** The SDK pointed at the test run's emulator (for what Stripe itself would do, e.g. expire a session). */
export function emulatorStripe(): Stripe {
  const url = new URL(process.env.E2E_EMULATOR_URL!);
  const env = JSON.parse(process.env.E2E_APP_ENV ?? '{}') as { STRIPE_SECRET_KEY: string };
  return new Stripe(env.STRIPE_SECRET_KEY, { host: url.hostname, port: Number(url.port), protocol: 'http' });
}

/** Read-only look at the test database, to check what the user cannot see directly (e.g. emails sent). */
export async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function expectBalance(page: Page, credits: number) {
  await expect
    .poll(
      async () => {
        await page.goto('/credits');
        return page.getByTestId('credit-balance').innerText();
      },
      { timeout: 20_000 },
    )
    .toBe(credits.toLocaleString('en-US'));
}
