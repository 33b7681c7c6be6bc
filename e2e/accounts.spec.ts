// Accounts and access (issue #13): what an attacker tries against a signed-in user.
import { expect, test } from '@playwright/test';
import { demoAccounts } from '../scripts/lib/demo-accounts';
import { signIn, signUp, uniqueEmail } from './support/auth';

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
