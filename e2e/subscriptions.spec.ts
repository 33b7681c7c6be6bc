import { expect, test } from '@playwright/test';
import { signUp, uniqueEmail } from './support/auth';
import { advanceStripeTime, choosePlan, eventuallyOnBilling, subscribe } from './support/billing';
import { emulatorStripe, payWithCard, query } from './support/checkout';

test.describe.configure({ mode: 'serial' });

test('subscribing monthly with 4242 unlocks premium', async ({ page }) => {
  await signUp(page, uniqueEmail('monthly'));
  await page.goto('/premium');
  await expect(
    page.getByRole('heading', { name: 'Premium reports is not included in your plan' }),
  ).toBeVisible();
  await subscribe(page, 'Starter');
  await page.getByRole('link', { name: 'Open premium reports' }).click();
  await expect(page.getByText('Premium content unlocked.')).toBeVisible();
  await page.goto('/billing');
  await expect(page.getByTestId('plan-name')).toHaveText('Starter (monthly)');
  await expect(page.getByTestId('subscription-status')).toHaveText('active');
  await expect(page.getByRole('cell', { name: '$9.00' })).toBeVisible();
  await page.goto('/pricing');
  await expect(page.getByRole('listitem', { name: 'Starter' }).getByText('Current plan')).toBeVisible();
  await page.goto('/account/access');
  await expect(page.getByRole('listitem').filter({ hasText: 'Premium reports' })).toContainText('Included');
});

test('subscribing yearly', async ({ page }) => {
  await signUp(page, uniqueEmail('yearly'));
  await subscribe(page, 'Starter', 'Yearly');
  await page.goto('/billing');
  await expect(page.getByTestId('plan-name')).toHaveText('Starter (yearly)');
  await expect(page.getByRole('cell', { name: '$90.00' })).toBeVisible();
});

test('a 3-D Secure card subscribes after the challenge', async ({ page }) => {
  await signUp(page, uniqueEmail('threeds'));
  await choosePlan(page, 'Starter');
  await payWithCard(page, '4000 0025 0000 3155');
  await page.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(page.getByRole('heading', { name: "You're subscribed to Starter" })).toBeVisible({
    timeout: 30_000,
  });
});

test('a declined card shows a clear error and grants nothing', async ({ page }) => {
  await signUp(page, uniqueEmail('declined-sub'));
  await choosePlan(page, 'Starter');
  await payWithCard(page, '4000 0000 0000 0002');
  await expect(page.getByRole('alert')).toHaveText('Your card was declined.');
  await page.goto('/billing');
  await expect(page.getByText('You are on the free plan.')).toBeVisible();
  await page.goto('/premium');
  await expect(page).toHaveURL(/\/upgrade\?feature=premium_reports/);
});

test('a trial starts without a charge and unlocks premium', async ({ page }) => {
  await signUp(page, uniqueEmail('trial'));
  await subscribe(page, 'Pro');
  await page.goto('/billing');
  await expect(page.getByTestId('subscription-status')).toHaveText('trialing');
  await expect(page.getByText('Trial ends')).toBeVisible();
  // The trial's end is the period's end: shown once, not again as "Renews on".
  await expect(page.getByText('Renews on')).toHaveCount(0);
  await expect(page.getByRole('cell', { name: '$0.00' })).toBeVisible();
  await page.goto('/premium');
  await expect(page.getByText('Premium content unlocked.')).toBeVisible();
});

test('a promotion code discounts the first invoice', async ({ page }) => {
  const stripe = emulatorStripe();
  const code = `SAVE${Date.now().toString(36).toUpperCase()}`;
  const coupon = await stripe.coupons.create({ percent_off: 50, duration: 'once' });
  await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code });
  await signUp(page, uniqueEmail('promo'));
  await choosePlan(page, 'Starter');
  await page.getByLabel('Promotion code').fill(code);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('total')).toHaveText('$4.50');
  await payWithCard(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: "You're subscribed to Starter" })).toBeVisible({
    timeout: 30_000,
  });
  await page.goto('/billing');
  await expect(page.getByRole('cell', { name: '$4.50' })).toBeVisible();
});

test('switching plans in the portal', async ({ page }) => {
  await signUp(page, uniqueEmail('switch'));
  await subscribe(page, 'Starter');
  await page.goto('/billing');
  await page.getByRole('button', { name: 'Manage billing' }).click();
  await page
    .getByRole('article', { name: /Starter subscription/ })
    .getByRole('link', { name: 'Update plan' })
    .click();
  await page.getByRole('link', { name: 'Select Pro' }).first().click();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('status')).toHaveText('Your plan has been updated.');
  // The portal names the business (the app's name reaches the emulator at start-up), not a host.
  await page.getByRole('link', { name: 'Return to Tollgate' }).click();
  await eventuallyOnBilling(page, async () => expect(page.getByTestId('plan-name')).toHaveText(/^Pro/));
  await page.goto('/premium');
  await expect(page.getByText('Premium content unlocked.')).toBeVisible();
});

test('a user with a live subscription is sent to the portal instead of a second checkout', async ({
  page,
}) => {
  await signUp(page, uniqueEmail('twice'));
  await subscribe(page, 'Starter');
  await page.goto('/pricing');
  await page.getByRole('listitem', { name: 'Pro' }).getByRole('button', { name: 'Switch to Pro' }).click();
  await expect(page.getByRole('article', { name: /Starter subscription/ })).toBeVisible();
});

test('cancel at period end: still active, then canceled when the period ends, and premium is gone', async ({
  page,
}) => {
  await signUp(page, uniqueEmail('cancel'));
  await subscribe(page, 'Starter');
  await page.goto('/billing');
  await page.getByRole('button', { name: 'Manage billing' }).click();
  await page
    .getByRole('article', { name: /Starter subscription/ })
    .getByRole('link', { name: 'Cancel plan' })
    .click();
  await page.getByRole('button', { name: 'Cancel plan' }).click();
  await page.getByRole('link', { name: /Return to/ }).click();
  await eventuallyOnBilling(page, async () =>
    expect(page.getByText(/Your subscription is set to cancel on/)).toBeVisible(),
  );
  await expect(page.getByTestId('subscription-status')).toHaveText('active');
  await page.goto('/premium');
  await expect(page.getByText('Premium content unlocked.')).toBeVisible();

  await advanceStripeTime(32);
  await eventuallyOnBilling(page, async () =>
    expect(page.getByText(/Your Starter subscription ended on/)).toBeVisible(),
  );
  await page.goto('/premium');
  await expect(page).toHaveURL(/\/upgrade\?feature=premium_reports/);
});

test('a failing renewal: past_due banner and email, then the grace period ends and premium is withdrawn', async ({
  page,
}) => {
  const email = uniqueEmail('dunning');
  await signUp(page, email);
  await subscribe(page, 'Starter');
  // The card is swapped for one that attaches but fails every later charge.
  await page.goto('/billing');
  await page.getByRole('button', { name: 'Manage billing' }).click();
  await page.getByRole('link', { name: 'Update payment method' }).click();
  await page.getByLabel('Card number').fill('4000 0000 0000 0341');
  await page.getByLabel('Expiration date').fill(`12 / ${String(new Date().getFullYear() + 2).slice(2)}`);
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Cardholder name').fill('Dee Dunning');
  await page.getByRole('button', { name: 'Save card' }).click();
  await expect(page.getByRole('status')).toHaveText('Your payment method has been updated.');

  await advanceStripeTime(31.1); // past the period end and the renewal draft's hour
  await eventuallyOnBilling(page, async () =>
    expect(page.locator('main [role="alert"]')).toContainText('Your last payment failed.'),
  );
  await expect(page.getByTestId('subscription-status')).toHaveText('past due');
  await expect(page.locator('main [role="alert"]')).toContainText('Your premium features stay on until');
  await expect(page.getByRole('button', { name: 'Update payment method' })).toBeVisible();
  await page.goto('/premium');
  await expect(page.getByText('Premium content unlocked.')).toBeVisible();
  await expect
    .poll(
      async () =>
        (await query<{ subject: string }>(`SELECT subject FROM "Email" WHERE "to" = $1`, [email])).map(
          (r) => r.subject,
        ),
      { timeout: 20_000 },
    )
    .toContain('Your payment failed — please update your card');

  await advanceStripeTime(9);
  await eventuallyOnBilling(page, async () =>
    expect(page.locator('main [role="alert"]')).toContainText('Your premium features are paused'),
  );
  await page.goto('/premium');
  await expect(page).toHaveURL(/\/upgrade\?feature=premium_reports/);
  await expect(page.getByText(/the grace period ended/)).toBeVisible();
  await expect
    .poll(
      async () =>
        (await query<{ subject: string }>(`SELECT subject FROM "Email" WHERE "to" = $1`, [email])).map(
          (r) => r.subject,
        ),
      { timeout: 40_000 },
    )
    .toContain('Your premium features are paused');
});
