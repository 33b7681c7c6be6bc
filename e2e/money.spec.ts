import { expect, test } from '@playwright/test';
import { demoAccounts } from '../scripts/lib/demo-accounts';
import { signIn, signUp, uniqueEmail } from './support/auth';
import { choosePlan, subscribe } from './support/billing';
import { emulatorStripe, expectBalance, payWithCard, query } from './support/checkout';

test.describe.configure({ timeout: 180_000 });

test('one free trial per account: once used, pricing says so and checkout offers none', async ({ page }) => {
  const email = uniqueEmail('trial-once');
  await signUp(page, email);
  await page.goto('/pricing');
  const pro = page.getByRole('listitem', { name: 'Pro' });
  await expect(pro.getByText('14-day free trial', { exact: true })).toBeVisible();
  await expect(pro.getByText('✓ 14-day free trial')).toBeVisible();
  await subscribe(page, 'Pro');

  // The subscription ends (canceled at Stripe); the trial stays used.
  const [row] = await query<{ id: string }>(
    `SELECT s.id FROM "Subscription" s JOIN "Workspace" w ON w.id = s."workspaceId" JOIN "User" u ON u.id = w."personalOfId" WHERE u.email = $1`,
    [email],
  );
  await emulatorStripe().subscriptions.cancel(row!.id);
  await expect(async () => {
    await page.goto('/pricing');
    await expect(pro.getByText('Free trial already used')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  // Neither the badge nor the plan's list promises the trial any more.
  await expect(pro.getByText(/14-day free trial/)).toHaveCount(0);

  await choosePlan(page, 'Pro');
  await expect(page.getByRole('button', { name: /^Start trial/ })).toHaveCount(0);
  await payWithCard(page, '4242 4242 4242 4242');
  await expect(page.getByRole('heading', { name: "You're subscribed to Pro" })).toBeVisible({
    timeout: 30_000,
  });
  await expect(async () => {
    await page.goto('/billing');
    await expect(page.getByTestId('subscription-status')).toHaveText('active', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
});

test('staff resolve a payment Stripe under-collected: credits for what was collected, audited once', async ({
  page,
  browser,
}) => {
  const email = uniqueEmail('review');
  await signUp(page, email);
  // A $200 purchase through the REST API (session cookie from the app's own origin)...
  const created = await page.request.post('/api/stripe/payment-intent', {
    data: { amount: 20000, currency: 'usd' },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(created.status()).toBe(201);
  const { payment_id: paymentId } = (await created.json()) as { payment_id: string };
  // ...whose id a $5 Checkout Session carries: Stripe collects $5.
  const [user] = await query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email]);
  const stripe = emulatorStripe();
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [
      { price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'x' } }, quantity: 1 },
    ],
    metadata: { payment_id: paymentId, user_id: user!.id },
    payment_intent_data: { metadata: { payment_id: paymentId, user_id: user!.id } },
    success_url: 'http://127.0.0.1/ok',
    cancel_url: 'http://127.0.0.1/no',
  });
  const paid = await fetch(`${process.env.E2E_EMULATOR_URL}/_emulator/checkout/sessions/${session.id}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ card: '4242424242424242', email: 'payer@example.com' }),
  });
  expect(paid.ok).toBe(true);

  const admin = await browser.newPage();
  await signIn(admin, demoAccounts.finance.email, demoAccounts.finance.password);
  await expect(async () => {
    await admin.goto(`/admin/payments/${paymentId}`);
    await expect(admin.getByTestId('review-reason')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(admin.getByRole('button', { name: 'Issue refund' })).toHaveCount(0);
  await expect(admin.getByText('Stripe collected $5.00; the payment expected $200.00')).toBeVisible();
  await admin.getByLabel('Resolution').selectOption('grant');
  await admin.getByLabel('Reason').fill('The customer paid $5');
  // A double click is one decision.
  await admin.getByRole('button', { name: 'Resolve' }).dblclick();
  // The page now shows the decision (the form is gone with the review), also after a reload.
  await expect(admin.getByTestId('review-resolution')).toHaveText(
    /^Resolved by finance@tollgate\.local on .+: 500 credits granted for the \$5\.00 Stripe collected\.$/,
  );
  await admin.reload();
  await expect(admin.getByTestId('review-reason')).toHaveCount(0);
  await expect(admin.getByTestId('review-resolution')).toContainText('500 credits granted');
  await expect(admin.getByRole('button', { name: 'Resolve' })).toHaveCount(0);
  await expect(admin.getByRole('table', { name: 'Audit trail' })).toContainText('payment.review_resolved');
  const audits = await query<{ n: string }>(
    `SELECT count(*)::text AS n FROM "AuditLog" WHERE action = 'payment.review_resolved' AND "targetId" = $1`,
    [paymentId],
  );
  expect(audits[0]?.n).toBe('1');
  await admin.close();
  await expectBalance(page, 500);
});

test('a chargeback takes the credits back and staff see the dispute with its due date', async ({
  page,
  browser,
}) => {
  const email = uniqueEmail('chargeback');
  await signUp(page, email);
  await page.goto('/credits');
  await page.getByRole('button', { name: 'Buy 1,000 credits' }).click();
  await payWithCard(page, '4000 0000 0000 0259');
  await expect(page.getByRole('heading', { name: /credits added/ })).toBeVisible({ timeout: 20_000 });
  // The charge succeeds, then is disputed at once: the funds are withdrawn, so are the credits.
  await expectBalance(page, 0);

  const admin = await browser.newPage();
  await signIn(admin, demoAccounts.admin.email, demoAccounts.admin.password);
  await admin.goto('/admin/disputes');
  const row = admin.getByRole('table', { name: 'Disputes' }).getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('needs response');
  await expect(row).toContainText('fraudulent');
  await expect(row).toContainText('$10.00');
  await expect(row.getByRole('cell').nth(5)).not.toHaveText('—');
  const [dispute] = await query<{ id: string }>(
    `SELECT d.id FROM "Dispute" d JOIN "Payment" p ON p.id = d."paymentId" JOIN "User" u ON u.id = p."buyerId" WHERE u.email = $1`,
    [email],
  );
  const emails = await query<{ n: string }>(
    `SELECT count(*)::text AS n FROM "Email" WHERE "to" = $1 AND "dedupeKey" LIKE $2`,
    [demoAccounts.admin.email, `dispute-opened:${dispute!.id}:%`],
  );
  expect(emails[0]?.n).toBe('1');

  // Won with evidence at Stripe: the credits come back.
  await emulatorStripe().disputes.update(dispute!.id, {
    evidence: { uncategorized_text: 'winning_evidence' },
  });
  await expectBalance(page, 1000);
  await admin.reload();
  await expect(row).toContainText('won');
  await admin.close();
});
