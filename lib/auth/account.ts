import 'server-only';
import { z } from 'zod';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { issueToken, redeemToken } from '@/lib/auth/tokens';
import { db } from '@/lib/db';
import { passwordChangedEmail, resetPasswordEmail, verifyEmailEmail } from '@/lib/email/account-templates';
import { queueEmail } from '@/lib/email/outbox';
import { claimAttempt, EMAIL_LINK_PER_ACCOUNT, EMAIL_LINK_PER_IP } from '@/lib/rate-limit';

export const newPasswordSchema = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.');

export const emailSchema = z
  .email('Enter a valid email address.')
  .max(254)
  .transform((e) => e.trim().toLowerCase());

export type LinkOutcome = { ok: true } | { ok: false; message: string };

const BAD_LINK = 'This link is invalid or was already used. Ask for a new one.';
const OLD_LINK = 'This link has expired. Ask for a new one.';

/** The link from the sign-up email: marks the address as the user's. */
export async function verifyEmail(token: string): Promise<LinkOutcome> {
  const redeemed = await redeemToken(db, 'verify', token);
  if (!redeemed.ok) return { ok: false, message: redeemed.reason === 'expired' ? OLD_LINK : BAD_LINK };
  await db.user.updateMany({
    where: { id: redeemed.userId, emailVerified: null },
    data: { emailVerified: new Date() },
  });
  return { ok: true };
}

async function linkAllowed(email: string, ip: string): Promise<boolean> {
  const claim = await claimAttempt([
    { throttle: EMAIL_LINK_PER_IP, key: ip },
    { throttle: EMAIL_LINK_PER_ACCOUNT, key: email },
  ]);
  return claim.ok;
}

/** A new verification link for a signed-in, unverified user. */
export async function resendVerification(userId: string, ip: string): Promise<LinkOutcome> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, emailVerified: true },
  });
  if (!user) return { ok: false, message: 'No such account.' };
  if (user.emailVerified) return { ok: true };
  if (!(await linkAllowed(user.email, ip)))
    return { ok: false, message: 'Too many emails sent. Try again later.' };
  await db.$transaction(async (tx) => {
    const token = await issueToken(tx, 'verify', userId);
    await queueEmail(tx, {
      dedupeKey: `verify:${userId}:${token.slice(0, 12)}`,
      to: user.email,
      ...verifyEmailEmail(token),
    });
  });
  return { ok: true };
}

/** Forgot password: the same answer whether or not the address has an account. */
export async function requestPasswordReset(email: string, ip: string): Promise<void> {
  if (!(await linkAllowed(email, ip))) return;
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) return;
  await db.$transaction(async (tx) => {
    const token = await issueToken(tx, 'reset', user.id);
    await queueEmail(tx, {
      dedupeKey: `reset:${user.id}:${token.slice(0, 12)}`,
      to: email,
      ...resetPasswordEmail(token),
    });
  });
}

/**
 * Set a new password with a reset link: the link is used up, every session
 * ends, and the address counts as verified (the link reached its mailbox).
 */
export async function resetPassword(
  token: string,
  password: string,
): Promise<LinkOutcome & { email?: string }> {
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    const redeemed = await redeemToken(tx, 'reset', token);
    if (!redeemed.ok) return { ok: false, message: redeemed.reason === 'expired' ? OLD_LINK : BAD_LINK };
    const user = await tx.user.update({
      where: { id: redeemed.userId },
      data: { passwordHash, sessionVersion: { increment: 1 } },
      select: { id: true, email: true, emailVerified: true },
    });
    if (!user.emailVerified)
      await tx.user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
    return { ok: true, email: user.email };
  });
}

export type ChangePasswordResult =
  { ok: true } | { ok: false; field: 'current' | 'password'; message: string };

/** Change a password knowing the current one; every session ends (the caller signs this one in again). */
export async function changePassword(
  userId: string,
  current: string,
  next: string,
): Promise<ChangePasswordResult> {
  const parsed = newPasswordSchema.safeParse(next);
  if (!parsed.success) return { ok: false, field: 'password', message: parsed.error.issues[0]!.message };
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, passwordHash: true },
  });
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, current))) {
    return { ok: false, field: 'current', message: 'Your current password is not right.' };
  }
  const passwordHash = await hashPassword(parsed.data);
  await db.$transaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id: userId },
      data: { passwordHash, sessionVersion: { increment: 1 } },
      select: { sessionVersion: true },
    });
    await queueEmail(tx, {
      dedupeKey: `password-changed:${userId}:${updated.sessionVersion}`,
      to: user.email,
      ...passwordChangedEmail(),
    });
  });
  return { ok: true };
}
