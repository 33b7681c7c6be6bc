// Accounts and access (issue #13): what an attacker tries against a signed-in user.
import { expect, test } from '@playwright/test';
import { demoAccounts } from '../scripts/lib/demo-accounts';
import { emailedLink, emailSubjects, signIn, signOut, signUp, uniqueEmail } from './support/auth';

// Each test is a whole journey (sign-up, sign-in, emailed links, a second browser).
test.describe.configure({ timeout: 180_000 });

test('a session cookie does not buy credits from another site', async ({ page }) => {
  await signUp(page, uniqueEmail('csrf'));
  const own = new URL(page.url()).origin;
  const body = JSON.stringify({ pack: 'credits_1000' });
  for (const path of ['/api/stripe/checkout-session', '/api/stripe/payment-intent']) {
    for (const origin of ['https://evil.example', 'null']) {
      const forged = await page.request.post(path, {
        headers: { origin, 'content-type': 'text/plain' },
        data: body,
      });
      expect(forged.status(), `${path} from ${origin}`).toBe(403);
      expect((await forged.json()).error).toMatch(/^Cross-site request refused/);
    }
    // A sibling subdomain is another site too.
    const sibling = await page.request.post(path, {
      headers: {
        origin: 'https://blog.example.com',
        'sec-fetch-site': 'same-site',
        'content-type': 'application/json',
      },
      data: body,
    });
    expect(sibling.status()).toBe(403);
    // From the app itself, a form-encoded or text body is refused as such.
    const text = await page.request.post(path, {
      headers: { origin: own, 'content-type': 'text/plain' },
      data: body,
    });
    expect(text.status()).toBe(415);
  }
  // Nothing was bought along the way, and the app's own JSON request still works.
  await page.goto('/credits');
  await expect(page.getByRole('table', { name: 'Payments' })).toHaveCount(0);
  const ok = await page.request.post('/api/stripe/checkout-session', {
    headers: { origin: own, 'content-type': 'application/json' },
    data: body,
  });
  expect(ok.status()).toBe(201);
});

test('finance and admin see webhook payloads with client secrets redacted', async ({ page, browser }) => {
  await signUp(page, uniqueEmail('redact'));
  const created = await page.request.post('/api/stripe/payment-intent', {
    headers: { origin: new URL(page.url()).origin, 'content-type': 'application/json' },
    data: { pack: 'credits_1000' },
  });
  expect(created.status()).toBe(201);
  const { client_secret: secret } = (await created.json()) as { client_secret: string };
  expect(secret).toMatch(/_secret_/);
  for (const account of [demoAccounts.finance, demoAccounts.admin]) {
    const staff = await browser.newPage();
    await signIn(staff, account.email, account.password);
    await expect
      .poll(async () => {
        await staff.goto('/admin/webhooks');
        return staff.getByRole('link', { name: 'payment_intent.created' }).count();
      })
      .toBeGreaterThan(0);
    await staff.getByRole('link', { name: 'payment_intent.created' }).first().click();
    const payload = staff.locator('pre');
    await expect(payload).toContainText('"client_secret": "[redacted]"');
    await expect(payload).not.toContainText('_secret_');
    await staff.close();
  }
});

test('sign-up does not reveal a registered email; the owner is told by email', async ({ page }) => {
  const fresh = uniqueEmail('fresh');
  const answers: string[] = [];
  for (const email of [fresh, demoAccounts.user.email]) {
    await page.goto('/sign-up');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a long test password');
    await page.getByRole('button', { name: 'Create account' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Check your inbox' });
    await expect(notice).toBeVisible();
    answers.push((await notice.innerText()).replace(email, '<email>'));
  }
  expect(answers[0]).toBe(answers[1]);
  await expect
    .poll(() => emailSubjects(demoAccounts.user.email))
    .toContain('Someone tried to sign up with your email');
  // The owner's password still works.
  await signIn(page, demoAccounts.user.email, demoAccounts.user.password);
});

test('an unverified account uses the app, confirms its email by link, then may create API keys', async ({
  page,
}) => {
  const email = uniqueEmail('verify');
  await signUp(page, email);
  await page.goto('/settings/api-keys');
  await page.getByLabel('Key name').fill('ci');
  await page.getByRole('button', { name: /create/i }).click();
  await expect(page.getByText(/^Confirm your email address first/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'API keys' })).toHaveCount(0);
  await page.goto(await emailedLink(email, 'Confirm your email address', '/verify-email'));
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your email address is confirmed' })).toBeVisible();
  await page.goto('/settings/security');
  await expect(page.getByTestId('email-status')).toHaveText(`${email} is confirmed.`);
});

test('forgot password: a single-use link sets a new password and ends other sessions', async ({
  page,
  browser,
}) => {
  const email = uniqueEmail('forgot');
  await signUp(page, email, 'the old password');
  const other = await browser.newPage();
  await other.goto('/forgot-password');
  await other.getByLabel('Email').fill(email);
  await other.getByRole('button', { name: 'Email me a link' }).click();
  await expect(other.getByRole('status').filter({ hasText: `If ${email} has an account` })).toBeVisible();
  const link = await emailedLink(email, 'Reset your password', '/reset-password');
  await other.goto(link);
  await other.getByLabel('New password').fill('the new password');
  await other.getByRole('button', { name: 'Set new password' }).click();
  await expect(other.getByRole('status').filter({ hasText: 'Your password was changed' })).toBeVisible();
  // The link is spent.
  await other.goto(link);
  await other.getByLabel('New password').fill('yet another password');
  await other.getByRole('button', { name: 'Set new password' }).click();
  await expect(other.locator('main [role="alert"]')).toHaveText(/invalid or was already used/);
  await other.close();
  // The session signed in with the old password is over at its next request.
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, email, 'the new password');
});

test('sign out everywhere and a password change end the other sessions at once', async ({
  page,
  browser,
}) => {
  const email = uniqueEmail('sessions');
  await signUp(page, email, 'first password here');
  const laptop = await browser.newPage();
  await signIn(laptop, email, 'first password here');
  // A password change keeps this session and ends the laptop's.
  await page.goto('/settings/security');
  await page.getByLabel('Current password').fill('first password here');
  await page.getByLabel('New password').fill('second password here');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Every other session was signed out' }),
  ).toBeVisible();
  await laptop.goto('/dashboard');
  await expect(laptop).toHaveURL(/\/sign-in/);
  await signIn(laptop, email, 'second password here');
  // Sign out everywhere, from the laptop: this page's session ends too.
  await laptop.goto('/settings/security');
  await laptop.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(laptop).toHaveURL(/\/sign-in/);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in/);
  await laptop.close();
});

test('removing a role ends that user’s sessions on their next request', async ({ page, browser }) => {
  const email = uniqueEmail('demoted');
  await signUp(page, email);
  const admin = await browser.newPage();
  await signIn(admin, demoAccounts.admin.email, demoAccounts.admin.password);
  const setRole = async (role: string) => {
    await admin.goto('/admin/users');
    await admin.getByRole('link', { name: email }).click();
    await admin.getByLabel('Role').selectOption(role);
    await admin.getByRole('button', { name: 'Change role' }).click();
    await expect(admin.getByText(/Role changed from/)).toBeVisible();
  };
  await setRole('finance');
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Admin', exact: true })).toBeVisible();
  await setRole('user');
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/sign-in/);
  await admin.close();
});

test('ADMIN_EMAILS: a listed address becomes admin on sign-in once verified', async ({ page }) => {
  const email = 'first-admin@example.com';
  await signUp(page, email);
  expect((await page.goto('/admin'))?.status()).toBe(404);
  await page.goto(await emailedLink(email, 'Confirm your email address', '/verify-email'));
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'confirmed' })).toBeVisible();
  await page.goto('/dashboard');
  await signOut(page);
  await signIn(page, email, 'a long test password');
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Admin', exact: true })).toBeVisible();
});
