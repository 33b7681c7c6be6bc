import { expect, test } from '@playwright/test';
import { demoAccounts } from '../scripts/lib/demo-accounts';
import { formAlert, signIn, signOut, signUp, uniqueEmail } from './support/auth';

test('a visitor signs up, signs out and signs back in', async ({ page }) => {
  const email = uniqueEmail('journey');
  await signUp(page, email, 'my very own password', 'Jo Journey');
  await expect(page.getByRole('heading', { name: 'Welcome, Jo Journey' })).toBeVisible();
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);

  await signOut(page);
  // Visitors can find their way: the home page links to pricing, and every page has a favicon.
  const site = page.getByRole('navigation', { name: 'Site' });
  await expect(site.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', /favicon\.svg/);
  expect((await page.request.get('/favicon.ico')).status()).toBe(200);
  await site.getByRole('link', { name: 'Pricing' }).click();
  await expect(page.getByRole('heading', { name: 'Pricing', level: 1 })).toBeVisible();
  await page.goto('/');
  await page.getByRole('link', { name: 'See pricing' }).click();
  await expect(page).toHaveURL(/\/pricing$/);

  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page, email, 'my very own password');
  await expect(page.getByRole('heading', { name: 'Welcome, Jo Journey' })).toBeVisible();
});

test('sign-up explains invalid input and keeps what was typed', async ({ page }) => {
  await page.goto('/sign-up');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter a valid email address.')).toBeVisible();
  await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue('not-an-email');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
});

test('a wrong password and an unknown email get the same message', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(demoAccounts.user.email);
  await page.getByLabel('Password').fill('definitely-wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(formAlert(page)).toHaveText('Incorrect email or password.');
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel('Email').fill(uniqueEmail('nobody'));
  await page.getByLabel('Password').fill('definitely-wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(formAlert(page)).toHaveText('Incorrect email or password.');
});

test('failed sign-ins slow down, whatever X-Forwarded-For says, and never lock the owner out', async ({
  page,
}) => {
  const email = uniqueEmail('throttled');
  await signUp(page, email, 'the right password');
  await signOut(page);
  await page.goto('/sign-in');
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    // A new forged address per attempt: without a trusted proxy the header is ignored.
    await page.setExtraHTTPHeaders({ 'x-forwarded-for': `203.0.113.${attempt}` });
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(`wrong-${attempt}`);
    // Wait for this attempt's server action to answer before the next one.
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/sign-in')),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await expect(formAlert(page)).toHaveText('Incorrect email or password.');
  }
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': '198.51.100.99' });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('the right password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(formAlert(page)).toHaveText(
    /^Too many failed sign-in attempts\. Try again in [12] seconds?\.$/,
  );
  await expect(page).toHaveURL(/\/sign-in/);
  // A delay, not a lock: a moment later the right password works.
  await page.waitForTimeout(2_100);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('the right password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('a user is denied at /admin with a 404', async ({ page }) => {
  await signIn(page, demoAccounts.user.email, demoAccounts.user.password);
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('an anonymous visitor at /admin is sent to sign-in', async ({ page }) => {
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fadmin/);
});

test('an admin reaches /admin', async ({ page }) => {
  await signIn(page, demoAccounts.admin.email, demoAccounts.admin.password);
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: 'Admin', exact: true })).toBeVisible();
});
