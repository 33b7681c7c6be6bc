import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApiKey, EmailNotVerifiedError } from '@/lib/api/keys';
import { db } from '@/lib/db';
import { createUser } from '@/lib/testing/fixtures';
import { changePassword, requestPasswordReset, resetPassword, verifyEmail } from './account';
import { verifyPassword } from './password';
import { promoteListedAdmin, setRoleByEmail } from './roles';
import { registerUser, signUpSchema } from './service';

const emailsTo = (to: string) => db.email.findMany({ where: { to }, orderBy: { createdAt: 'asc' } });
const linkToken = (text: string, path: string) =>
  new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(text)?.[1] ?? '';
const signUp = (email: string, password = 'a long password') =>
  registerUser(signUpSchema.parse({ email, password }));

describe('sign-up', () => {
  it('answers a taken email exactly as a new one, and emails the owner instead', async () => {
    const email = `owner-${randomUUID()}@example.com`;
    const first = await signUp(email);
    const again = await signUp(email.toUpperCase(), 'someone elses password');
    expect(again).toEqual(first);
    expect(await db.user.count({ where: { email } })).toBe(1);
    const subjects = (await emailsTo(email)).map((e) => e.subject);
    expect(subjects).toEqual(['Confirm your email address', 'Someone tried to sign up with your email']);
    // The intruder's password was not set.
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await verifyPassword(user.passwordHash!, 'a long password')).toBe(true);
  });

  it('verifies the address with the emailed link, once', async () => {
    const email = `verify-${randomUUID()}@example.com`;
    await signUp(email);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBeNull();
    const [mail] = await emailsTo(email);
    const token = linkToken(mail!.text, '/verify-email');
    expect(await verifyEmail(token)).toEqual({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBeInstanceOf(Date);
    expect(await verifyEmail(token)).toMatchObject({ ok: false, message: /already used/ });
    expect(await verifyEmail('x'.repeat(43))).toMatchObject({ ok: false });
  });
});

describe('forgot password', () => {
  it('says nothing about unknown addresses, and a link resets the password once, ending every session', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
    const unknown = `ghost-${randomUUID()}@example.com`;
    await requestPasswordReset(unknown, ip);
    expect(await emailsTo(unknown)).toEqual([]);

    const email = `reset-${randomUUID()}@example.com`;
    await signUp(email);
    const before = await db.user.findUniqueOrThrow({ where: { email } });
    await requestPasswordReset(email, ip);
    const mail = (await emailsTo(email)).find((e) => e.subject === 'Reset your password');
    const token = linkToken(mail!.text, '/reset-password');
    const results = await Promise.all([
      resetPassword(token, 'brand new password 1'),
      resetPassword(token, 'brand new password 2'),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const after = await db.user.findUniqueOrThrow({ where: { email } });
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(after.emailVerified).toBeInstanceOf(Date);
    expect(await verifyPassword(after.passwordHash!, 'a long password')).toBe(false);
  });

  it('refuses an expired link', async () => {
    const email = `expired-${randomUUID()}@example.com`;
    await signUp(email);
    await requestPasswordReset(email, '192.0.2.200');
    const mail = (await emailsTo(email)).find((e) => e.subject === 'Reset your password');
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    await db.verificationToken.updateMany({
      where: { identifier: `reset:${user.id}` },
      data: { expires: new Date(Date.now() - 1000) },
    });
    expect(await resetPassword(linkToken(mail!.text, '/reset-password'), 'brand new password')).toMatchObject(
      {
        ok: false,
        message: /expired/,
      },
    );
  });
});

describe('changing a password', () => {
  it('needs the current one and ends every session', async () => {
    const email = `change-${randomUUID()}@example.com`;
    await signUp(email);
    const { id, sessionVersion } = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await changePassword(id, 'not it', 'another long password')).toMatchObject({
      ok: false,
      field: 'current',
    });
    expect(await changePassword(id, 'a long password', 'another long password')).toEqual({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id } })).sessionVersion).toBe(sessionVersion + 1);
  });
});

describe('API keys', () => {
  it('are refused until the email address is verified', async () => {
    const unverified = await createUser({ verified: false });
    await expect(
      createApiKey({ workspaceId: unverified.workspaceId, userId: unverified.id }, 'ci'),
    ).rejects.toBeInstanceOf(EmailNotVerifiedError);
    expect(await db.apiKey.count({ where: { userId: unverified.id } })).toBe(0);
    const verified = await createUser();
    await expect(
      createApiKey({ workspaceId: verified.workspaceId, userId: verified.id }, 'ci'),
    ).resolves.toMatchObject({ key: expect.any(String) });
  });
});

describe('roles', () => {
  it('a role removal is audited and ends the user’s sessions; a promotion does not', async () => {
    const user = await createUser({ role: 'finance' });
    const { sessionVersion } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await setRoleByEmail(user.email, 'admin')).toEqual({
      changed: true,
      from: 'finance',
      to: 'admin',
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(sessionVersion);
    expect(await setRoleByEmail(user.email, 'user')).toEqual({ changed: true, from: 'admin', to: 'user' });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(
      sessionVersion + 1,
    );
    const trail = await db.auditLog.findMany({
      where: { targetId: user.id, action: 'role.changed' },
      orderBy: { createdAt: 'asc' },
    });
    expect(trail.map((a) => a.details)).toEqual([
      { from: 'finance', to: 'admin', via: 'cli' },
      { from: 'admin', to: 'user', via: 'cli' },
    ]);
  });

  it('ADMIN_EMAILS promotes a listed address only once it is verified', async () => {
    const email = `boss-${randomUUID()}@example.com`;
    await signUp(email);
    const { id } = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await promoteListedAdmin(id, [email])).toBe(false);
    await db.user.update({ where: { id }, data: { emailVerified: new Date() } });
    expect(await promoteListedAdmin(id, ['someone-else@example.com'])).toBe(false);
    expect(await promoteListedAdmin(id, [email])).toBe(true);
    expect((await db.user.findUniqueOrThrow({ where: { id } })).role).toBe('admin');
  });

  it('npm run user:role makes the first admin from a shell', { timeout: 180_000 }, async () => {
    const email = `first-${randomUUID()}@example.com`;
    await signUp(email);
    const run = spawnSync(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', 'scripts/user-role.ts', email, 'admin'],
      { encoding: 'utf8', env: { ...process.env } },
    );
    expect(run.stdout).toContain(`${email}: user → admin (audited).`);
    expect(run.status).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).role).toBe('admin');
  });
});
