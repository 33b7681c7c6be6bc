import { expect, test } from '@playwright/test';
import { signUp, uniqueEmail } from './support/auth';
import { advanceStripeTime, eventuallyOnBilling, subscribe } from './support/billing';

// Subscribing through Checkout and waiting for webhooks takes most of a minute on a busy machine.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

test('changing plan shows the prorated preview, then charges exactly that', async ({ page }) => {
  await signUp(page, uniqueEmail('plan-change'));
  await subscribe(page, 'Starter');
  await advanceStripeTime(10);
  await page.goto('/billing');
  const renewsOn = await page.getByText('Renews on').locator('xpath=following-sibling::dd').innerText();

  await page.getByRole('listitem', { name: 'Pro (monthly)' }).getByRole('link', { name: 'Switch' }).click();
  const dialog = page.getByRole('dialog', { name: 'Switch to Pro (monthly)' });
  await expect(dialog).toBeVisible();
  // About two thirds of the month left: (29 - 9) × remaining share, charged now.
  const dueNow = await dialog.getByTestId('due-now').innerText();
  const cents = Math.round(Number(dueNow.replace(/[$,]/g, '')) * 100);
  expect(cents).toBeGreaterThan(1000);
  expect(cents).toBeLessThan(1600);
  await expect(dialog.getByTestId('next-invoice')).toHaveText('$29.00');
  await expect(dialog.getByText(`Next invoice on ${renewsOn}`)).toBeVisible();

  // Cancel leaves the plan as it is.
  await dialog.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('plan-name')).toHaveText('Starter (monthly)');

  await page.getByRole('listitem', { name: 'Pro (monthly)' }).getByRole('link', { name: 'Switch' }).click();
  await expect(page.getByRole('dialog').getByTestId('due-now')).toHaveText(dueNow);
  await page.getByRole('button', { name: 'Confirm change' }).click();
  await expect(page.getByRole('status')).toHaveText('Your plan is changing to Pro (monthly).');
  await eventuallyOnBilling(page, async () => {
    await expect(page.getByTestId('plan-name')).toHaveText('Pro (monthly)');
    // The proration invoice is paid for exactly the amount the dialog showed.
    await expect(page.getByRole('row').filter({ hasText: dueNow })).toContainText('paid');
  });
  await expect(page.getByText('Renews on').locator('xpath=following-sibling::dd')).toHaveText(renewsOn);
  await page.goto('/account/access');
  await expect(page.getByRole('listitem').filter({ hasText: 'API access' })).toContainText('Included');
});

test('during a trial a plan change costs nothing now and sets the first invoice', async ({ page }) => {
  await signUp(page, uniqueEmail('trial-change'));
  await subscribe(page, 'Pro');
  await page.goto('/billing');
  await page
    .getByRole('listitem', { name: 'Starter (monthly)' })
    .getByRole('link', { name: 'Switch' })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Switch to Starter (monthly)' });
  await expect(dialog.getByTestId('due-now')).toHaveText('$0.00');
  await expect(dialog.getByTestId('next-invoice')).toHaveText('$9.00');
  await dialog.getByRole('button', { name: 'Confirm change' }).click();
  await eventuallyOnBilling(page, async () => {
    await expect(page.getByTestId('plan-name')).toHaveText('Starter (monthly)');
    await expect(page.getByTestId('subscription-status')).toHaveText('trialing');
  });
});

test('a forged or stale quote changes nothing', async ({ page }) => {
  await signUp(page, uniqueEmail('forged-change'));
  await subscribe(page, 'Starter');
  await page.goto('/billing?change=pro_monthly');
  const dialog = page.getByRole('dialog');
  await dialog.locator('input[name="prorationDate"]').evaluate((input: HTMLInputElement) => {
    input.value = String(Number(input.value) - 20 * 86_400);
  });
  await dialog.getByRole('button', { name: 'Confirm change' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Review the change again.');
  await page.goto('/billing');
  await expect(page.getByTestId('plan-name')).toHaveText('Starter (monthly)');
  await page.goto('/billing?change=starter_monthly');
  await expect(page.getByRole('dialog').getByRole('alert')).toHaveText('You are already on this plan.');
});
