import { expect, test, type Browser, type Page } from '@playwright/test';
import { demoAccounts } from '../scripts/lib/demo-accounts';
import { signIn, signOut, signUp, uniqueEmail } from './support/auth';
import { expectBalance, payWithCard, query } from './support/checkout';

async function buyPack(page: Page, label = 'Buy 1,000 credits') {
  await page.goto('/credits');
  await page.getByRole('button', { name: label }).click();
  await payWithCard(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: /credits added/ })).toBeVisible({ timeout: 20_000 });
}

/** A second browser page signed in as a demo staff account. */
async function staffPage(browser: Browser, who: 'admin' | 'finance'): Promise<Page> {
  const page = await browser.newPage();
  await signIn(page, demoAccounts[who].email, demoAccounts[who].password);
  return page;
}

/** Fills the payment page's refund form (the amount left as offered when null) and sends it. */
async function issueRefund(page: Page, amount: string | null, reason: string) {
  if (amount !== null) await page.getByLabel('Amount (USD)').fill(amount);
  await page.getByLabel('Reason').fill(reason);
  await page.getByRole('button', { name: 'Issue refund' }).click();
}

/** The refund lands through the webhook: reload until the payment page shows `total` refunded. */
async function expectRefunded(page: Page, total: string) {
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId('amount-refunded').innerText();
      },
      { timeout: 20_000 },
    )
    .toBe(total);
}

async function openUser(page: Page, email: string) {
  await page.goto(`/admin/users?q=${encodeURIComponent(email)}`);
  await page.getByRole('link', { name: email }).click();
}

async function openPaymentOf(page: Page, email: string) {
  await page.goto(`/admin/payments?q=${encodeURIComponent(email)}`);
  await page.getByRole('table', { name: 'Payments' }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

test('the TEST MODE banner shows on every admin page', async ({ page }) => {
  await signIn(page, demoAccounts.admin.email, demoAccounts.admin.password);
  for (const path of ['/admin', '/admin/payments', '/admin/users', '/admin/webhooks', '/admin/audit']) {
    await page.goto(path);
    await expect(page.getByTestId('test-mode-banner')).toContainText('TEST MODE');
  }
});

test('an admin refunds part of a credit purchase: credits are clawed back, audited, and the customer sees it', async ({
  page,
  browser,
}) => {
  const email = uniqueEmail('refundee');
  await signUp(page, email);
  await buyPack(page);
  await expectBalance(page, 1000);

  const admin = await staffPage(browser, 'admin');
  await openPaymentOf(admin, email);
  await admin.getByLabel('Amount (USD)').fill('4.00');
  await admin.getByLabel('Reason').fill('Customer asked for a partial refund');
  // A double click still makes one refund.
  await admin.getByRole('button', { name: 'Issue refund' }).dblclick();
  await expect(admin.getByText(/Refund re_\w+ requested \(\$4\.00\)/)).toBeVisible();
  // Without a reload the form offers what now remains, with a fresh token: a second partial refund is a new one.
  await expect(admin.getByLabel('Amount (USD)')).toHaveValue('6.00');
  await issueRefund(admin, '1.00', 'A second, smaller refund');
  await expect(admin.getByText(/Refund re_\w+ requested \(\$1\.00\)/)).toBeVisible();
  await expectRefunded(admin, '$5.00');
  await expect(admin.getByRole('table', { name: 'Refunds' }).getByRole('row')).toHaveCount(3);
  // A refund that went through says so (not "paid", which is what an invoice is).
  await expect(admin.getByRole('table', { name: 'Refunds' })).toContainText('succeeded');
  await expect(admin.getByRole('table', { name: 'Refunds' })).not.toContainText('paid');
  await expect(admin.getByRole('table', { name: 'Audit trail' })).toContainText(
    'Customer asked for a partial refund',
  );
  await expect(admin.getByRole('table', { name: 'Audit trail' })).toContainText('refund.requested');

  await expectBalance(page, 500);
  await expect(page.getByRole('table', { name: 'Payments' })).toContainText('partially refunded');
  await expect(page.getByRole('table', { name: 'Credit history' })).toContainText('-');
  const audits = await query<{ n: string }>(
    `SELECT count(*)::text AS n FROM "AuditLog" WHERE action = 'refund.requested' AND reason = 'Customer asked for a partial refund'`,
  );
  expect(audits[0]?.n).toBe('1');

  // The dashboard's revenue chart has a y-axis and answers hover with each day's figure.
  await admin.goto('/admin');
  await expect(admin.getByTestId('revenue-y-axis')).toContainText('$0.00');
  await expect(admin.getByTestId('revenue-day').last().locator('title')).toHaveText(
    /^\d{4}-\d\d-\d\d: \$[\d,]+\.\d\d$/,
  );
  await admin.close();
});

test('a refund larger than what remains is refused and changes nothing', async ({ page, browser }) => {
  const email = uniqueEmail('overrefund');
  await signUp(page, email);
  await buyPack(page);
  const admin = await staffPage(browser, 'admin');
  await openPaymentOf(admin, email);
  await issueRefund(admin, '25.00', 'Too much');
  await expect(admin.getByText('At most 1000 cents can be refunded.')).toBeVisible();
  await expect(admin.getByTestId('amount-refunded')).toHaveText('$0.00');
  await admin.close();
  await expectBalance(page, 1000);
});

test('finance can refund but cannot change roles', async ({ page, browser }) => {
  const email = uniqueEmail('finance-target');
  await signUp(page, email);
  await buyPack(page);
  const finance = await staffPage(browser, 'finance');
  await openPaymentOf(finance, email);
  await issueRefund(finance, '10.00', 'Full refund by finance');
  await expectRefunded(finance, '$10.00');
  await expectBalance(page, 0);
  await expect(page.getByRole('table', { name: 'Payments' })).toContainText('refunded');

  await openUser(finance, email);
  await expect(finance.getByText('only admins change roles')).toBeVisible();
  await expect(finance.getByRole('button', { name: 'Change role' })).toHaveCount(0);
  await finance.close();
});

test('an admin changes a role, and it is audited', async ({ page, browser }) => {
  const email = uniqueEmail('promoted');
  await signUp(page, email);
  const admin = await staffPage(browser, 'admin');
  await openUser(admin, email);
  await admin.getByLabel('Role').selectOption('finance');
  await admin.getByRole('button', { name: 'Change role' }).click();
  await expect(admin.getByText('Role changed from user to finance.')).toBeVisible();
  await admin.reload();
  await expect(admin.getByRole('table', { name: 'Audit trail' })).toContainText('role.changed');
  await admin.close();
  // The promoted user now reaches the back office.
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Admin', exact: true })).toBeVisible();
});

test('a user gets 404 on /admin and on the refund API', async ({ page }) => {
  await signIn(page, demoAccounts.user.email, demoAccounts.user.password);
  expect((await page.goto('/admin/payments'))?.status()).toBe(404);
  const response = await page.request.post('/api/stripe/refund', {
    data: { paymentId: 'anything', amount: 100, reason: 'nope', token: 'token-123456' },
    headers: { 'idempotency-key': 'token-123456', origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(404);
  await page.goto('/dashboard');
  await signOut(page);
  const anonymous = await page.request.post('/api/stripe/refund', {
    data: { paymentId: 'x', amount: 1, reason: 'nope' },
  });
  expect(anonymous.status()).toBe(404);
});

test('the webhook log lists events and re-processing one is safe', async ({ page }) => {
  await signIn(page, demoAccounts.admin.email, demoAccounts.admin.password);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/admin/webhooks?status=processed');
  // The Received time reads on one line at a laptop width.
  const receivedLines = await page
    .getByTestId('received-at')
    .first()
    .evaluate((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
  expect(receivedLines).toBe(1);
  const first = page.getByRole('table', { name: 'Webhook events' }).getByRole('link').first();
  await first.click();
  await expect(page.getByRole('heading', { name: 'Payload' })).toBeVisible();
  await page.getByRole('button', { name: 'Re-process event' }).click();
  await expect(page.getByText(/Re-processed: (processed|ignored)\./)).toBeVisible();
  await page.goto('/admin/audit');
  await expect(page.getByRole('table', { name: 'Audit log' })).toContainText('webhook.replayed');
});

test('a full refund of a subscription invoice', async ({ page, browser }) => {
  const email = uniqueEmail('sub-refund');
  await signUp(page, email);
  await page.goto('/pricing');
  await page.getByRole('listitem', { name: 'Starter' }).getByRole('button').click();
  await payWithCard(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: "You're subscribed to Starter" })).toBeVisible({
    timeout: 30_000,
  });

  const admin = await staffPage(browser, 'admin');
  await expect(async () => {
    await admin.goto(`/admin/payments?kind=subscription&q=${encodeURIComponent(email)}`);
    await expect(admin.getByRole('table', { name: 'Payments' })).toContainText('Subscription invoice');
  }).toPass({ timeout: 20_000 });
  await admin.getByRole('table', { name: 'Payments' }).getByRole('link').first().click();
  await expect(admin.getByTestId('refundable')).toHaveText('$9.00');
  await issueRefund(admin, null, 'Goodwill: full refund of the first month');
  await expectRefunded(admin, '$9.00');
  await expect(admin.getByText('refunded', { exact: true }).first()).toBeVisible();
  await expect(admin.getByTestId('refundable')).toHaveText('$0.00');
  await expect(admin.getByRole('button', { name: 'Issue refund' })).toHaveCount(0);
  await expect(admin.getByText('Fully refunded: nothing left to refund.')).toBeVisible();
  await expect(admin.getByRole('table', { name: 'Audit trail' })).toContainText(
    'Goodwill: full refund of the first month',
  );
  await admin.close();
});
