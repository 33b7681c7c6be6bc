import { expect, type Page } from '@playwright/test';
import { payWithCard } from './checkout';

/** Choose a plan on /pricing and land on the hosted checkout page. */
export async function choosePlan(
  page: Page,
  plan: 'Starter' | 'Pro' | 'Team',
  interval: 'Monthly' | 'Yearly' = 'Monthly',
) {
  await page.goto('/pricing');
  if (interval === 'Yearly') await page.getByRole('link', { name: 'Yearly' }).click();
  await expect(page.getByRole('link', { name: interval })).toHaveAttribute('aria-current', 'page');
  const card = page.getByRole('listitem', { name: plan });
  await card.getByRole('button').click();
  await expect(page.getByLabel('Card number')).toBeVisible();
}

/** Pay for the plan and wait until the webhook has recorded the subscription. */
export async function subscribe(
  page: Page,
  plan: 'Starter' | 'Pro' | 'Team',
  interval: 'Monthly' | 'Yearly' = 'Monthly',
  card = '4242 4242 4242 4242',
) {
  await choosePlan(page, plan, interval);
  await payWithCard(page, card);
  await expect(page.getByRole('heading', { name: `You're subscribed to ${plan}` })).toBeVisible({
    timeout: 30_000,
  });
}

/** Reload /billing until `check` passes (webhooks apply asynchronously). */
export async function eventuallyOnBilling(page: Page, check: () => Promise<void>, timeout = 30_000) {
  await expect(async () => {
    await page.goto('/billing');
    await check();
  }).toPass({ timeout });
}

/** Move the emulator's clock (every customer without a test clock) forward. */
export async function advanceStripeTime(days: number) {
  const response = await fetch(`${process.env.E2E_EMULATOR_URL}/_emulator/clock/advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds: Math.round(days * 86_400) }),
  });
  expect(response.ok).toBe(true);
}
