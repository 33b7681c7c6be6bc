import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoAccounts } from '../scripts/lib/demo-accounts';

// Billing is opt-in: the same build, started without STRIPE_SECRET_KEY, has
// no billing surface at all.
let server: ChildProcess;
let base = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

test.beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const appEnv = JSON.parse(process.env.E2E_APP_ENV ?? '{}') as Record<string, string>;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: appEnv.DATABASE_URL,
    AUTH_SECRET: appEnv.AUTH_SECRET,
    APP_URL: base,
  };
  for (const key of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_API_URL']) delete env[key];
  server = spawn(
    process.execPath,
    [
      path.join('node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    { env, stdio: 'ignore' },
  );
  await expect
    .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status ?? 0, { timeout: 30_000 })
    .toBe(200);
});

test.afterAll(() => {
  server?.kill('SIGTERM');
});

test('without a Stripe key there are no billing links and every billing route is a 404', async ({
  page,
  request,
}) => {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(demoAccounts.admin.email);
  await page.getByLabel('Password').fill(demoAccounts.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${base}/dashboard`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toBeVisible();
  for (const name of ['Pricing', 'Billing', 'Credits'])
    await expect(nav.getByRole('link', { name })).toHaveCount(0);
  await page.goto(`${base}/admin`);
  await expect(page.getByTestId('test-mode-banner')).toHaveCount(0);
  await expect(
    page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Payments' }),
  ).toHaveCount(0);
  await expect(page.getByText(/configure stripe/i)).toHaveCount(0);

  for (const path of [
    '/pricing',
    '/billing',
    '/credits',
    '/premium',
    '/account/access',
    '/admin/payments',
    '/admin/webhooks',
  ]) {
    expect((await page.goto(`${base}${path}`))?.status(), path).toBe(404);
  }
  for (const [method, path] of [
    ['POST', '/api/stripe/webhook'],
    ['POST', '/api/stripe/checkout'],
    ['POST', '/api/stripe/portal'],
    ['POST', '/api/stripe/checkout-session'],
    ['GET', '/api/stripe/credit-packages'],
    ['GET', '/api/stripe/payments'],
    ['POST', '/api/stripe/refund'],
    ['GET', '/api/credits/balance'],
  ] as const) {
    const response = await request.fetch(`${base}${path}`, {
      method,
      data: method === 'POST' ? {} : undefined,
    });
    expect(response.status(), `${method} ${path}`).toBe(404);
  }
});
