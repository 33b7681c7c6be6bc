// Seats (issue #16): a new workspace on the per-seat Team plan: inviting shows what a seat costs (Stripe's
// invoices.createPreview), accepting adds a seat in Stripe and on /billing, removing takes it off.
import { expect, test, type Page } from '@playwright/test';
import { emailedLink, signUp, uniqueEmail } from './support/auth';
import { subscribe } from './support/billing';
import { emulatorStripe, query } from './support/checkout';

test.describe.configure({ timeout: 180_000 });

const INVITATION = 'You are invited to a Tollgate workspace';

/** Seats as /billing shows them, once they read `used` members and `paid` seats. */
async function expectSeats(page: Page, used: number, paid: number) {
  await expect(async () => {
    await page.goto('/billing');
    await expect(page.getByTestId('seats-used')).toHaveText(String(used), { timeout: 1_000 });
    await expect(page.getByTestId('seats-paid')).toHaveText(String(paid), { timeout: 1_000 });
  }).toPass({ timeout: 45_000 });
  await expect(page.getByTestId('seats-limit')).toHaveText('25');
}

/** The quantity Stripe (the emulator) bills on the workspace's subscription. */
async function stripeQuantity(workspaceName: string): Promise<number> {
  const [row] = await query<{ id: string }>(
    `SELECT s.id FROM "Subscription" s JOIN "Workspace" w ON w.id = s."workspaceId"
     WHERE w.name = $1 AND s.status = 'active'`,
    [workspaceName],
  );
  const subscription = await emulatorStripe().subscriptions.retrieve(row!.id);
  return subscription.items.data[0]!.quantity ?? 1;
}

test('create a workspace on Team, invite with a seat preview, accept: a seat more in Stripe; remove: a seat less', async ({
  page,
  browser,
}) => {
  const owner = uniqueEmail('seat-owner');
  await signUp(page, owner, 'a long test password', 'Sam Seats');
  // A new workspace (its creator owns it and is switched to it) subscribes to Team.
  const team = `Seats ${Date.now().toString(36)}`;
  await page.getByRole('button', { name: /^Workspace:/ }).click();
  await page.getByRole('link', { name: 'Create a workspace' }).click();
  await page.getByLabel('Workspace name').fill(team);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByTestId('current-workspace')).toHaveText(team);
  await subscribe(page, 'Team');
  await expectSeats(page, 1, 1);
  expect(await stripeQuantity(team)).toBe(1);

  // Before inviting: what the next seat costs, now and on the next invoice.
  await page.goto('/workspace/members');
  await expect(page.getByTestId('seat-preview')).toContainText('from 1 to 2 seats');
  await expect(page.getByTestId('seat-preview-now')).toContainText('is charged when they join');
  await expect(page.getByTestId('seat-preview-next')).toContainText('Next invoice: $24.00');

  const invitee = uniqueEmail('seat-invitee');
  await page.getByLabel('Email').fill(invitee);
  await page.getByLabel('Role', { exact: true }).selectOption('member');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('table', { name: 'Pending invitations' })).toContainText(invitee);
  const link = await emailedLink(invitee, INVITATION, '/invite');

  const other = await browser.newContext();
  const guest = await other.newPage();
  await guest.goto(link);
  await guest.getByLabel('Name').fill('Nia Newseat');
  await guest.getByLabel('Password').fill('another long password');
  await guest.getByRole('button', { name: 'Create account and join' }).click();
  await expect(guest).toHaveURL(/\/dashboard$/);
  await expect(guest.getByTestId('current-workspace')).toHaveText(team);

  await expectSeats(page, 2, 2);
  expect(await stripeQuantity(team)).toBe(2);

  // Removing the member gives the seat back.
  await page.goto('/workspace/members');
  const row = page.getByRole('row').filter({ hasText: invitee });
  await row.getByRole('button', { name: 'Remove' }).click();
  await row.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(page.getByRole('row').filter({ hasText: invitee })).toHaveCount(0);
  await expectSeats(page, 1, 1);
  expect(await stripeQuantity(team)).toBe(1);
  await other.close();
});
