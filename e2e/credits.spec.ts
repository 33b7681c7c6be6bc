import { expect, test } from '@playwright/test';
import { confirmEmail, signIn, signUp, uniqueEmail } from './support/auth';
import { emulatorStripe, expectBalance, payWithCard, query } from './support/checkout';

test('buying a pack with 4242 raises the balance exactly once', async ({ page }) => {
  await signUp(page, uniqueEmail('buyer'));
  await page.goto('/credits');
  await expect(page.getByTestId('credit-balance')).toHaveText('0');
  await page.getByRole('button', { name: 'Buy 1,000 credits' }).click();
  await expect(page.getByLabel('Card number')).toBeVisible();
  await payWithCard(page, '4242 4242 4242 4242');
  await expect(page).toHaveURL(/\/credits\/success\?session_id=cs_test_/);
  await expect(page.getByRole('heading', { name: '1,000 credits added' })).toBeVisible({ timeout: 20_000 });
  await expectBalance(page, 1000);
  const rows = page.getByRole('table', { name: 'Credit history' }).getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(page.getByRole('table', { name: 'Payments' })).toContainText('completed');
  // Reloading the success page (as a user might) grants nothing more.
  await page.goBack();
  await expectBalance(page, 1000);
});

test('a declined card adds no credits and says why', async ({ page }) => {
  await signUp(page, uniqueEmail('declined'));
  await page.goto('/credits');
  await page.getByRole('button', { name: 'Buy 1,000 credits' }).click();
  await payWithCard(page, '4000 0000 0000 0002');
  await expect(page.getByRole('alert')).toHaveText('Your card was declined.');
  await page.goto('/credits');
  await expect(page.getByTestId('credit-balance')).toHaveText('0');
  await expect(page.getByRole('table', { name: 'Payments' })).toContainText('pending');
});

test('an expired checkout shows the payment as expired', async ({ page }) => {
  await signUp(page, uniqueEmail('expired'));
  await page.goto('/credits');
  await page.getByLabel('Custom amount (USD)').fill('12.50');
  await page.getByRole('button', { name: 'Buy credits' }).click();
  await expect(page.getByLabel('Card number')).toBeVisible();
  // Checkout names the business, as Stripe's does, not the emulator's host.
  await expect(page.getByRole('link', { name: '← Tollgate' })).toBeVisible();
  await expect(page.getByText('127.0.0.1')).toHaveCount(0);
  const sessionId = new URL(page.url()).pathname.split('/').pop()!;
  await emulatorStripe().checkout.sessions.expire(sessionId);
  await expect
    .poll(
      async () => {
        await page.goto('/credits');
        return page.getByRole('table', { name: 'Payments' }).innerText();
      },
      { timeout: 20_000 },
    )
    .toContain('expired');
  await expect(page.getByRole('table', { name: 'Payments' })).toContainText('1,250 credits');
  await expect(page.getByTestId('credit-balance')).toHaveText('0');
});

test('a custom amount outside the limits is refused with a clear message', async ({ page }) => {
  await signUp(page, uniqueEmail('limits'));
  await page.goto('/credits');
  await page.getByLabel('Custom amount (USD)').fill('1');
  await page.getByRole('button', { name: 'Buy credits' }).click();
  await expect(page.getByText('The amount must be at least 500 cents.')).toBeVisible();
  await expect(page).toHaveURL(/\/credits$/);
});

test('a referral bonus is paid to both users once', async ({ page, browser }) => {
  const referrer = uniqueEmail('referrer');
  await signUp(page, referrer);
  // The bonus needs a verified email on both sides.
  await confirmEmail(page, referrer);
  await page.goto('/credits');
  const link = await page.getByTestId('referral-link').innerText();

  const friend = await browser.newPage();
  await friend.goto(new URL(link).pathname + new URL(link).search);
  await expect(friend.getByText('You were invited')).toBeVisible();
  const friendEmail = uniqueEmail('friend');
  await friend.getByLabel('Name').fill('Friend');
  await friend.getByLabel('Email').fill(friendEmail);
  await friend.getByLabel('Password').fill('friend password 123');
  await friend.getByRole('button', { name: 'Create account' }).click();
  await expect(
    friend.getByRole('status').filter({ hasText: `we sent a link to ${friendEmail}` }),
  ).toBeVisible();
  await signIn(friend, friendEmail, 'friend password 123');
  await confirmEmail(friend, friendEmail);
  for (let purchase = 0; purchase < 2; purchase += 1) {
    await friend.goto('/credits');
    await friend.getByRole('button', { name: 'Buy 1,000 credits' }).click();
    await payWithCard(friend, '4242424242424242');
    await expect(friend.getByRole('heading', { name: '1,000 credits added' })).toBeVisible({
      timeout: 20_000,
    });
  }
  // Friend: two purchases + one bonus. Referrer: one bonus, even after the second purchase.
  await expectBalance(friend, 3000);
  await expectBalance(page, 1000);
  await expect(page.getByRole('table', { name: 'Credit history' })).toContainText('Referral bonus');
  await friend.close();
});

test('redeeming a coupon adds its credits once per user', async ({ page }) => {
  const code = `WELCOME-${Date.now().toString(36).toUpperCase()}`;
  await query(`INSERT INTO "Coupon" (id, code, credits, "maxRedemptions") VALUES ($1, $2, 2500, 100)`, [
    `c_${Date.now()}`,
    code,
  ]);
  await signUp(page, uniqueEmail('coupon'));
  await page.goto('/credits');
  await page.getByLabel('Coupon code').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Redeem' }).click();
  // Counts carry thousands separators.
  await expect(page.getByText('Coupon applied: +2,500 credits. Balance: 2,500.')).toBeVisible();
  await page.getByLabel('Coupon code').fill(code);
  await page.getByRole('button', { name: 'Redeem' }).click();
  await expect(page.getByText('You have already redeemed this coupon.')).toBeVisible();
  await expectBalance(page, 2500);
});

test('the metered action spends credits and explains a short balance', async ({ page }) => {
  await signUp(page, uniqueEmail('meter'));
  await page.goto('/credits');
  await page.getByRole('button', { name: 'Generate report (10 credits)' }).click();
  await expect(page.getByText('Not enough credits: this needs 10 and you have 0.')).toBeVisible();
});
