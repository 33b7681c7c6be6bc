import { expect, test, type BrowserContext, type Page } from '@playwright/test';
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

/** A new workspace owned by the user with this email. */
async function workspaceOwnedBy(name: string, email: string): Promise<string> {
  const id = `ws_e2e_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  await write(`INSERT INTO "Workspace" (id, name, "updatedAt") VALUES ($1, $2, now())`, [id, name]);
  await addMember(id, email, 'owner');
  return id;
}

async function personalWorkspaceOf(email: string): Promise<string> {
  const [row] = await query<{ id: string }>(
    `SELECT w.id FROM "Workspace" w JOIN "User" u ON u.id = w."personalOfId" WHERE u.email = $1`,
    [email],
  );
  return row!.id;
}

/** Switch the current workspace as the header switcher does: its cookie (validated by membership on every request). */
async function switchTo(context: BrowserContext, page: Page, workspaceId: string | null) {
  const url = new URL(page.url());
  if (workspaceId)
    await context.addCookies([{ name: 'tollgate-workspace', value: workspaceId, url: url.origin }]);
  else await context.clearCookies({ name: 'tollgate-workspace' });
}

test('switching workspace switches plan, credits and entitlements', async ({ page, context }) => {
  const email = uniqueEmail('ws-switch');
  await signUp(page, email);
  await subscribe(page, 'Starter');
  await page.goto('/billing');
  await expect(page.getByTestId('plan-name')).toHaveText('Starter (monthly)');
  await expectBalance(page, 500);

  const team = await workspaceOwnedBy('Blank Team', email);
  await switchTo(context, page, team);
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

  await switchTo(context, page, null);
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
  await signUp(page, owner);
  await subscribe(page, 'Starter');
  const shared = await personalWorkspaceOf(owner);
  await context.clearCookies();

  for (const [i, role] of ['member', 'admin'].entries()) {
    const email = uniqueEmail(`ws-${role}`);
    await signUp(page, email);
    await addMember(shared, email, role);
    await switchTo(context, page, shared);

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
