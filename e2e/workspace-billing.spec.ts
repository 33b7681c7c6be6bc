import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { signUp, uniqueEmail } from './support/auth';
import { subscribe } from './support/billing';
import { expectBalance, query } from './support/checkout';

// Billing belongs to the current workspace (issue #16): switching switches plan, credits and
// entitlements, and members without the billing right find no billing pages.

test.describe.configure({ mode: 'serial' });

/** Test setup through the database (until the members UI is on main): a statement on the test database. */
async function write(sql: string, params: unknown[]) {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

async function addMember(workspaceId: string, email: string, role: string) {
  await write(
    `INSERT INTO "Membership" ("workspaceId", "userId", role) SELECT $1, id, $2::"WorkspaceRole" FROM "User" WHERE email = $3`,
    [workspaceId, role, email],
  );
}

async function personalWorkspaceOf(email: string): Promise<string> {
  const [row] = await query<{ id: string }>(
    `SELECT w.id FROM "Workspace" w JOIN "User" u ON u.id = w."personalOfId" WHERE u.email = $1`,
    [email],
  );
  return row!.id;
}

function switcher(page: Page) {
  return page.getByRole('button', { name: /^Workspace:/ });
}

/** Switch with the header switcher, as a user does. */
async function switchTo(page: Page, name: string) {
  await switcher(page).click();
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await expect(page.getByTestId('current-workspace')).toHaveText(name);
}

test('switching workspace switches plan, credits and entitlements', async ({ page }) => {
  const email = uniqueEmail('ws-switch');
  await signUp(page, email, 'a long test password', 'Sol Switcher');
  await subscribe(page, 'Starter');
  await page.goto('/billing');
  await expect(page.getByTestId('plan-name')).toHaveText('Starter (monthly)');
  await expectBalance(page, 500);

  // A new workspace, made from the switcher: its own (empty) billing.
  await switcher(page).click();
  await page.getByRole('link', { name: 'Create a workspace' }).click();
  await page.getByLabel('Workspace name').fill('Blank Team');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByTestId('current-workspace')).toHaveText('Blank Team');
  await page.goto('/billing');
  await expect(page.getByTestId('billing-workspace')).toHaveText('Blank Team');
  await expect(page.getByText('You are on the free plan.')).toBeVisible();
  await expectBalance(page, 0);
  await page.goto('/premium');
  await expect(page).toHaveURL(/\/upgrade\?feature=premium_reports/);
  await page.goto('/account/access');
  await expect(page.getByRole('listitem').filter({ hasText: 'Premium reports' })).toContainText(
    'Not included',
  );

  await switchTo(page, 'Sol Switcher');
  await page.goto('/billing');
  await expect(page.getByTestId('plan-name')).toHaveText('Starter (monthly)');
  await expectBalance(page, 500);
  await page.goto('/premium');
  await expect(page.getByText('Premium content unlocked.')).toBeVisible();
});

test('a member without billing rights gets 404 on billing routes, yet uses the plan and the credits', async ({
  page,
  context,
}) => {
  const owner = uniqueEmail('ws-owner');
  await signUp(page, owner, 'a long test password', 'Bea Billing');
  await subscribe(page, 'Starter');
  const shared = await personalWorkspaceOf(owner);
  await context.clearCookies();

  for (const [i, role] of ['member', 'admin'].entries()) {
    const email = uniqueEmail(`ws-${role}`);
    await signUp(page, email, 'a long test password', `Rory ${role}`);
    // Joined as by an accepted invitation (the invitation flow has its own E2E test).
    await addMember(shared, email, role);
    await page.goto('/dashboard');
    await switchTo(page, 'Bea Billing');
    // The navigation offers no Billing page to them.
    await expect(page.getByRole('link', { name: 'Billing', exact: true })).toHaveCount(0);

    expect((await page.goto('/billing'))!.status()).toBe(404);
    const origin = new URL(page.url()).origin;
    for (const [path, form] of [
      ['/api/stripe/checkout', { lookupKey: 'pro_monthly', workspaceId: shared }],
      ['/api/stripe/portal', { workspaceId: shared }],
      ['/api/stripe/checkout', { lookupKey: 'pro_monthly' }],
    ] as const) {
      const response = await page.request.post(path, { form, headers: { origin }, maxRedirects: 0 });
      expect(response.status(), `${path} ${JSON.stringify(form)}`).toBe(404);
    }
    // Credits: the workspace's balance (each member before spent 10 of it), and no way to buy.
    await expectBalance(page, 500 - 10 * i);
    await expect(page.getByRole('button', { name: 'Buy 1,000 credits' })).toHaveCount(0);
    await expect(page.getByRole('table', { name: 'Payments' })).toHaveCount(0);
    await page.getByRole('button', { name: /Generate report/ }).click();
    await expect(page.getByText(/Report generated\. 10 credits spent/)).toBeVisible();
    // The plan's features are theirs to use.
    await page.goto('/premium');
    await expect(page.getByText('Premium content unlocked.')).toBeVisible();
    await page.goto('/pricing');
    await expect(page.getByTestId('billing-not-allowed').first()).toBeVisible();
    await context.clearCookies();
  }
});
