'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import type { FormState } from '@/app/(auth)/actions';
import {
  emailSchema,
  newPasswordSchema,
  requestPasswordReset,
  resetPassword,
  verifyEmail,
} from '@/lib/auth/account';
import { clientIp } from '@/lib/net/client-ip';

const tokenSchema = z.string().trim().min(1).max(200);

export async function forgotPasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const raw = String(formData.get('email') ?? '');
  const email = emailSchema.safeParse(raw);
  if (!email.success)
    return { fieldErrors: { email: 'Enter a valid email address.' }, values: { email: raw } };
  await requestPasswordReset(email.data, clientIp(await headers()));
  // Whether or not the address has an account.
  return {
    notice: `If ${email.data} has an account, we sent it a link to choose a new password. The link works once, for 1 hour.`,
  };
}

export async function resetPasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const token = tokenSchema.safeParse(formData.get('token'));
  if (!token.success) return { error: 'This link is invalid or was already used. Ask for a new one.' };
  const password = newPasswordSchema.safeParse(formData.get('password') ?? '');
  if (!password.success) return { fieldErrors: { password: password.error.issues[0]!.message } };
  const result = await resetPassword(token.data, password.data);
  if (!result.ok) return { error: result.message };
  return {
    notice: 'Your password was changed and every session was signed out. Sign in with the new password.',
  };
}

export async function verifyEmailAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const token = tokenSchema.safeParse(formData.get('token'));
  if (!token.success) return { error: 'This link is invalid or was already used. Ask for a new one.' };
  const result = await verifyEmail(token.data);
  return result.ok ? { notice: 'Your email address is confirmed. Thank you!' } : { error: result.message };
}
