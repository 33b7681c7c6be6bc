import { expect, type Page } from '@playwright/test';
import { query } from './checkout';

let counter = 0;
/** A unique email per call, so tests never collide in the shared test database. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.com`;
}

export async function signUp(
  page: Page,
  email: string,
  password = 'a long test password',
  name = 'Test Person',
) {
  await page.goto('/sign-up');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  // Sign-up answers alike for new and taken emails, so it signs no one in: sign in next.
  await expect(page.getByRole('status').filter({ hasText: `we sent a link to ${email}` })).toBeVisible();
  await signIn(page, email, password);
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
}

/** The form's own error (Next.js also renders an empty role=alert route announcer). */
export function formAlert(page: Page) {
  return page.locator('main [role="alert"]');
}

/** The link in the newest email with this subject sent to `to` (read from the outbox table). */
export async function emailedLink(to: string, subject: string, path: string): Promise<string> {
  let link = '';
  await expect
    .poll(async () => {
      const rows = await query<{ text: string }>(
        'SELECT text FROM "Email" WHERE "to" = $1 AND subject = $2 ORDER BY "createdAt" DESC LIMIT 1',
        [to, subject],
      );
      link =
        new RegExp(`https?://[^\\s]+${path}\\?token=[A-Za-z0-9_-]+`).exec(rows[0]?.text ?? '')?.[0] ?? '';
      return link;
    })
    .not.toBe('');
  return new URL(link).pathname + new URL(link).search;
}

export async function emailSubjects(to: string): Promise<string[]> {
  const rows = await query<{ subject: string }>(
    'SELECT subject FROM "Email" WHERE "to" = $1 ORDER BY "createdAt"',
    [to],
  );
  return rows.map((r) => r.subject);
}

/** Open the emailed confirmation link and confirm: the account's email becomes verified. */
export async function confirmEmail(page: Page, email: string) {
  await page.goto(await emailedLink(email, 'Confirm your email address', '/verify-email'));
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your email address is confirmed' })).toBeVisible();
}
