// Workspaces, members and invitations (issue #16): create a workspace, switch to it, invite by
// email, accept in another browser by signing up, remove; a member accepts while signed in
// and leaves; the last owner cannot leave.
import { expect, test, type Page } from '@playwright/test';
import { emailedLink, formAlert, signUp, uniqueEmail } from './support/auth';

test.describe.configure({ timeout: 180_000 });

const INVITATION = 'You are invited to a Tollgate workspace';

function switcher(page: Page) {
  return page.getByRole('button', { name: /^Workspace:/ });
}

async function expectWorkspace(page: Page, name: string, role: string) {
  await expect(page.getByTestId('current-workspace')).toHaveText(name);
  await expect(page.getByTestId('current-role')).toHaveText(role);
}

async function switchTo(page: Page, name: string) {
  await switcher(page).click();
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await expect(page.getByTestId('current-workspace')).toHaveText(name);
}

async function invite(page: Page, email: string) {
  await page.goto('/workspace/members');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption('member');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Invitation sent to ${email}` })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Pending invitations' })).toContainText(email);
  return emailedLink(email, INVITATION, '/invite');
}

test('create a workspace, switch, invite by email, accept by signing up, remove; a member joins and leaves', async ({
  page,
  browser,
}) => {
  const owner = uniqueEmail('ws-owner');
  await signUp(page, owner, 'a long test password', 'Olive Owner');
  await expectWorkspace(page, 'Olive Owner', 'Owner');

  // Create a workspace: its creator owns it and is switched to it.
  const team = `Team ${Date.now().toString(36)}`;
  await switcher(page).click();
  await page.getByRole('link', { name: 'Create a workspace' }).click();
  await page.getByLabel('Workspace name').fill(team);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page).toHaveURL(/\/workspace\/members$/);
  await expectWorkspace(page, team, 'Owner');

  // The switcher lists both and returns to the same page; Escape closes it.
  await switchTo(page, 'Olive Owner');
  await expect(page).toHaveURL(/\/workspace\/members$/);
  await expect(page.getByRole('heading', { name: 'Members of Olive Owner' })).toBeVisible();
  await switcher(page).focus();
  await page.keyboard.press('Enter');
  await expect(switcher(page)).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(switcher(page)).toHaveAttribute('aria-expanded', 'false');
  await expect(switcher(page)).toBeFocused();
  await switchTo(page, team);

  // The last owner cannot leave.
  await page.goto('/workspace');
  await page.getByRole('button', { name: 'Leave' }).click();
  await page.getByRole('button', { name: 'Yes, leave' }).click();
  await expect(formAlert(page)).toHaveText(
    'You are the last owner: make another member owner before you leave.',
  );

  // Invite someone without an account; they sign up from the link in another browser.
  const invitee = uniqueEmail('ws-invitee');
  const link = await invite(page, invitee);
  const other = await browser.newContext();
  const guest = await other.newPage();
  await guest.goto(link);
  await expect(guest.getByRole('heading', { name: `Join ${team}` })).toBeVisible();
  await expect(guest.getByTestId('invitation-summary')).toHaveText(
    `Olive Owner invited ${invitee} to join as member.`,
  );
  await expect(guest.getByLabel('Email')).toHaveValue(invitee);
  await guest.getByLabel('Name').fill('Ivy Invitee');
  await guest.getByLabel('Password').fill('another long password');
  await guest.getByRole('button', { name: 'Create account and join' }).click();
  await expect(guest).toHaveURL(/\/dashboard$/);
  await expectWorkspace(guest, team, 'Member');
  // The link worked once.
  await guest.goto(link);
  await expect(
    guest.getByRole('alert').filter({ hasText: 'This invitation was already used.' }),
  ).toBeVisible();

  // The owner sees them listed, and no invitation pending.
  await page.goto('/workspace/members');
  const row = page.getByRole('row').filter({ hasText: invitee });
  await expect(row.getByRole('cell').first()).toContainText('Ivy Invitee');
  await expect(row.getByRole('cell').nth(1)).toHaveText('Member');
  await expect(page.getByText('No pending invitations.')).toBeVisible();

  // Remove them: they are back in their personal workspace.
  await row.getByRole('button', { name: 'Remove' }).click();
  await row.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(page.getByRole('row').filter({ hasText: invitee })).toHaveCount(0);
  await guest.goto('/dashboard');
  await expectWorkspace(guest, 'Ivy Invitee', 'Owner');

  // Invited again, they accept while signed in, then leave on their own.
  const again = await invite(page, invitee);
  await guest.goto(again);
  await guest.getByRole('button', { name: `Join ${team}` }).click();
  await expect(guest).toHaveURL(/\/dashboard$/);
  await expectWorkspace(guest, team, 'Member');
  await guest.goto('/workspace');
  await guest.getByRole('button', { name: 'Leave' }).click();
  await guest.getByRole('button', { name: 'Yes, leave' }).click();
  await expect(guest).toHaveURL(/\/dashboard$/);
  await expectWorkspace(guest, 'Ivy Invitee', 'Owner');
  await page.goto('/workspace/members');
  await expect(page.getByRole('row').filter({ hasText: invitee })).toHaveCount(0);
  await other.close();
});

test('an invitation refuses another signed-in account and sends a signed-out invitee with an account to sign in', async ({
  page,
  browser,
}) => {
  const owner = uniqueEmail('ws-owner2');
  await signUp(page, owner, 'a long test password', 'Otto Owner');
  const invitee = uniqueEmail('ws-existing');
  const other = await browser.newContext();
  const guest = await other.newPage();
  await signUp(guest, invitee, 'another long password', 'Erin Existing');
  const link = await invite(page, invitee);

  // Someone else's session: a clear refusal, nothing joined.
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  const strangerEmail = uniqueEmail('ws-stranger');
  await signUp(strangerPage, strangerEmail);
  await strangerPage.goto(link);
  await expect(
    strangerPage.getByRole('alert').filter({ hasText: `but you are signed in as ${strangerEmail}` }),
  ).toBeVisible();
  await expect(strangerPage.getByRole('button', { name: /^Join/ })).toHaveCount(0);
  await stranger.close();

  // Signed out with an account: sign in with the email prefilled, come back, join.
  await other.clearCookies();
  await guest.goto(link);
  await guest.getByRole('link', { name: `Sign in as ${invitee} to accept` }).click();
  await expect(guest.getByLabel('Email')).toHaveValue(invitee);
  await guest.getByLabel('Password').fill('another long password');
  await guest.getByRole('button', { name: 'Sign in' }).click();
  await guest.getByRole('button', { name: 'Join Otto Owner' }).click();
  await expect(guest).toHaveURL(/\/dashboard$/);
  await expectWorkspace(guest, 'Otto Owner', 'Member');
  await other.close();
});
