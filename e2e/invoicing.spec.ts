import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { signUp, uniqueEmail } from './support/auth';
import { payWithCard, query } from './support/checkout';

// Client invoicing end to end, on real parts: a workspace connects its own Stripe account, either
// way (the emulator's standalone account by pasting its restricted key, or a Connect account
// onboarded on the emulator's hosted page), invoices a client with a 30% deposit, and the client
// pays on the emulator's hosted Checkout without an account. Every state shown comes from the
// account's webhooks (at the workspace's own URL, or the platform's Connect endpoint).

async function emulatorAccount(): Promise<{ id: string; restricted_key: string }> {
  const response = await fetch(`${process.env.E2E_EMULATOR_URL}/_emulator/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ business_name: 'Studio North' }),
  });
  expect(response.ok).toBe(true);
  return (await response.json()) as { id: string; restricted_key: string };
}

async function connectByKey(page: Page) {
  const account = await emulatorAccount();
  await page.goto('/workspace/stripe');
  await page.getByLabel('Restricted key').fill(account.restricted_key);
  await page.getByRole('button', { name: 'Connect key' }).click();
  await expect(page.getByText('Stripe connected (test mode)').first()).toBeVisible({ timeout: 20_000 });
}

async function connectByConnect(page: Page) {
  await page.goto('/workspace/stripe');
  await page.getByRole('radio', { name: /Express/ }).check();
  await page.getByRole('button', { name: 'Connect with Stripe' }).click();
  await page.getByRole('button', { name: 'Agree and submit' }).click();
  await expect(page).toHaveURL(/\/workspace\/stripe\?onboarding=returned$/);
  // account.updated owns the state: reload until it has arrived.
  await expect
    .poll(
      async () => {
        await page.goto('/workspace/stripe');
        return page.getByTestId('stripe-status').innerText();
      },
      { timeout: 30_000 },
    )
    .toContain('Stripe connected (test mode)');
}

type Way = 'key' | 'connect';

/** Sign up, connect, add a client and send INV-0001: $1,000 + 10% tax, 30% deposit. Returns the pay link. */
async function sentInvoice(page: Page, clientEmail: string, way: Way = 'key'): Promise<string> {
  await signUp(page, uniqueEmail('invoicer'));
  // No connected account: no invoicing at all.
  await expect(page.getByRole('link', { name: 'Invoices' })).toHaveCount(0);
  expect((await page.goto('/invoices'))?.status()).toBe(404);
  await (way === 'key' ? connectByKey(page) : connectByConnect(page));
  await page.getByRole('link', { name: 'Invoices' }).click();
  await page.getByLabel('Client name').fill('Acme Co');
  await page.getByLabel('Client email').fill(clientEmail);
  await page.getByRole('button', { name: 'Add client' }).click();
  await expect(page.getByText('Client Acme Co added.')).toBeVisible();
  await page.getByRole('link', { name: 'New invoice' }).click();
  await page.getByLabel('Line 1 description').fill('Website design');
  await page.getByLabel('Line 1 unit price').fill('1000');
  await page.getByLabel('Tax rate (%)').fill('10');
  await page.getByLabel('Deposit', { exact: true }).selectOption('percent');
  await page.getByLabel('Deposit value').fill('30');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('heading', { name: /INV-0001/ })).toBeVisible();
  await expect(page.getByTestId('invoice-status')).toHaveText('Draft');
  await page.getByRole('button', { name: 'Send invoice' }).click();
  // Sent: the send button gives way to the pay link.
  await expect(page.getByTestId('invoice-status')).toHaveText('Sent');
  await expect(page.getByRole('button', { name: 'Send invoice' })).toHaveCount(0);
  const payLink = await page.getByTestId('pay-link').innerText();
  // The client's email carries the link (and the PDF, attached when it is sent).
  const emails = await query<{ text: string; attachClientInvoiceId: string | null }>(
    'SELECT text, "attachClientInvoiceId" FROM "Email" WHERE "to" = $1',
    [clientEmail],
  );
  expect(emails).toHaveLength(1);
  expect(emails[0]!.text).toContain(payLink);
  expect(emails[0]!.attachClientInvoiceId).not.toBeNull();
  return payLink;
}

for (const way of ['key', 'connect'] as const)
  test(`an invoice with a 30% deposit (connected by ${way === 'key' ? 'restricted key' : 'Stripe Connect'}): the client pays the deposit, then the balance, and downloads the PDF`, async ({
    page,
    browser,
  }) => {
    test.setTimeout(240_000);
    const payLink = await sentInvoice(page, uniqueEmail('client'), way);

    // The client: another browser, no account.
    const client = await (await browser.newContext()).newPage();
    await client.goto(payLink);
    await expect(client.getByRole('heading', { name: /Invoice INV-0001/ })).toBeVisible();
    await client.getByRole('button', { name: 'Pay the deposit of $330.00' }).click();
    await payWithCard(client, '4242 4242 4242 4242');
    await expect(client).toHaveURL(/\/pay\/[A-Za-z0-9_-]{43}\?paid=1/);
    await expect(client.getByTestId('invoice-status')).toHaveText('Deposit paid', { timeout: 30_000 });

    await client.getByRole('button', { name: 'Pay $770.00' }).click();
    await payWithCard(client, '4242 4242 4242 4242');
    await expect(client.getByTestId('invoice-status')).toHaveText('Paid', { timeout: 30_000 });
    await expect(client.getByText('This invoice is paid in full. Thank you!')).toBeVisible();

    const download = client.waitForEvent('download');
    await client.getByRole('link', { name: 'Download the invoice (PDF)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('INV-0001.pdf');
    expect(
      readFileSync((await file.path())!)
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');

    // The workspace sees it paid, both payments listed.
    await page.reload();
    await expect(page.getByTestId('invoice-status')).toHaveText('Paid');
    await expect(page.getByRole('table', { name: 'Payments' }).getByRole('row')).toHaveCount(3);
    const memberPdf = await page.request.get(page.url().replace('/invoices/', '/api/invoices/') + '/pdf');
    expect(memberPdf.headers()['content-type']).toBe('application/pdf');
  });

test('a refund of a client payment, with a reason, shows on the invoice and in the audit log', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const payLink = await sentInvoice(page, uniqueEmail('client'));
  const client = await (await browser.newContext()).newPage();
  await client.goto(payLink);
  await client.getByRole('button', { name: 'Pay the deposit of $330.00' }).click();
  await payWithCard(client, '4242 4242 4242 4242');
  await expect(client.getByTestId('invoice-status')).toHaveText('Deposit paid', { timeout: 30_000 });

  await page.reload();
  const row = page.getByRole('table', { name: 'Payments' }).getByRole('row').nth(1);
  await row.getByLabel(/Amount to refund/).fill('100');
  await row.getByLabel('Reason').fill('Scope reduced');
  await row.getByRole('button', { name: 'Refund' }).click();
  await row.getByRole('button', { name: 'Yes, refund' }).click();
  await expect(page.getByText('Refund of $100.00 succeeded.')).toBeVisible({ timeout: 20_000 });
  await page.reload();
  await expect(page.getByRole('table', { name: 'Payments' }).getByRole('row').nth(1)).toContainText(
    '$100.00',
  );
  const invoiceId = page.url().split('/').pop()!;
  const audits = await query<{ reason: string; amount: number }>(
    'SELECT reason, amount FROM "AuditLog" WHERE action = $1 AND "targetId" = $2',
    ['client_refund.requested', invoiceId],
  );
  expect(audits).toEqual([{ reason: 'Scope reduced', amount: 10000 }]);
});
