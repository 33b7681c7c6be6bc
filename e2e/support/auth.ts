import { expect, type Page } from '@playwright/test';

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
