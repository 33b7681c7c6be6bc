import { expect, test } from '@playwright/test';
import { signUp, uniqueEmail } from './support/auth';
import { advanceStripeTime, choosePlan, eventuallyOnBilling } from './support/billing';
import { payWithCard, query } from './support/checkout';

// A card that asks for authentication (https://docs.stripe.com/testing#regulatory-cards):
// 3184 on every payment, 3155 only until it has been set up for off-session use.
test.describe.configure({ mode: 'serial', timeout: 150_000 });

test('a renewal that needs 3-D Secure is recovered through the hosted invoice page', async ({ page }) => {
  const email = uniqueEmail('sca-renewal');
  await signUp(page, email);
  await choosePlan(page, 'Starter');
  await payWithCard(page, '4000 0027 6000 3184');
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(page.getByRole('heading', { name: "You're subscribed to Starter" })).toBeVisible({
    timeout: 30_000,
  });

  // The renewal is charged off-session an hour after the period end, and the bank asks again.
  await advanceStripeTime(31.1);
  await eventuallyOnBilling(page, async () => expect(page.getByTestId('sca-banner')).toBeVisible());
  await expect(page.getByTestId('sca-banner')).toContainText('Your bank asks you to confirm your payment.');
  await expect(page.getByTestId('sca-banner')).toContainText('to keep your premium features after');
  await expect
    .poll(
      async () =>
        (await query<{ subject: string }>(`SELECT subject FROM "Email" WHERE "to" = $1`, [email])).map(
          (r) => r.subject,
        ),
      { timeout: 20_000 },
    )
    .toContain('Please confirm your payment with your bank');
  await page.goto('/premium');
  await expect(page.getByText('Premium content unlocked.')).toBeVisible();

  // The customer authenticates on the hosted invoice page.
  await page.goto('/billing');
  await page.getByRole('link', { name: 'Confirm payment' }).click();
  await expect(page.getByRole('heading', { name: 'Pay this invoice' })).toBeVisible();
  await page.getByLabel('Card number').fill('4000 0027 6000 3184');
  await page.getByLabel('Expiration date').fill(`12 / ${String(new Date().getFullYear() + 2).slice(2)}`);
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Cardholder name').fill('Sam Secure');
  await page.getByRole('button', { name: 'Pay $9.00' }).click();
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(page.getByTestId('invoice-status')).toHaveText(/paid/i);

  await eventuallyOnBilling(page, async () => {
    await expect(page.getByTestId('sca-banner')).toHaveCount(0);
    await expect(page.getByTestId('subscription-status')).toHaveText('active');
  });
  await expect(page.getByRole('row').filter({ hasText: '$9.00' }).first()).toContainText('paid');
  await page.goto('/premium');
  await expect(page.getByText('Premium content unlocked.')).toBeVisible();
});

test('a 3155 card saved at trial signup pays the first renewal off-session', async ({ page }) => {
  await signUp(page, uniqueEmail('sca-trial'));
  // Saving the card for the trial asks for authentication once (the challenge page), as Stripe does.
  await choosePlan(page, 'Pro', 'Monthly');
  await payWithCard(page, '4000 0025 0000 3155');
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(page.getByRole('heading', { name: "You're subscribed to Pro" })).toBeVisible({
    timeout: 30_000,
  });
  await page.goto('/billing');
  await expect(page.getByTestId('subscription-status')).toHaveText('trialing');

  await advanceStripeTime(14.1);
  await eventuallyOnBilling(page, async () => {
    await expect(page.getByTestId('subscription-status')).toHaveText('active');
    await expect(page.getByRole('row').filter({ hasText: '$29.00' })).toContainText('paid');
  });
  await expect(page.getByTestId('sca-banner')).toHaveCount(0);
  await page.goto('/premium');
  await expect(page.getByText('Premium content unlocked.')).toBeVisible();
});
