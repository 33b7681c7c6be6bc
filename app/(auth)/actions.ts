'use server';

import { headers } from 'next/headers';
import { AuthError } from 'next-auth';
import { z } from 'zod';
import { RateLimitedSignIn, signIn, signOut } from '@/lib/auth/config';
import { registerUser, signUpSchema } from '@/lib/auth/service';
import { clientIp } from '@/lib/net/client-ip';
import { claimAttempt, SIGN_UP_PER_IP } from '@/lib/rate-limit';

export interface FormState {
  error?: string;
  fieldErrors?: Record<string, string | undefined>;
  values?: Record<string, string>;
}

const WRONG_CREDENTIALS = 'Incorrect email or password.';
function rateLimited(seconds: number | undefined): string {
  if (!seconds) return 'Too many failed sign-in attempts. Wait a moment and try again.';
  const wait =
    seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many failed sign-in attempts. Try again in ${wait}.`;
}

/** Only same-origin paths are accepted as a post-sign-in destination. */
function safeCallback(value: FormDataEntryValue | null): string {
  const path = typeof value === 'string' ? value : '';
  return path.startsWith('/') && !path.startsWith('//') ? path : '/dashboard';
}

const signInSchema = z.object({ email: z.string().trim(), password: z.string() });

export async function signInAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { email, password } = signInSchema.parse({
    email: formData.get('email') ?? '',
    password: formData.get('password') ?? '',
  });
  try {
    await signIn('credentials', { email, password, redirectTo: safeCallback(formData.get('callbackUrl')) });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      const code = 'code' in error ? error.code : undefined;
      const seconds = error instanceof RateLimitedSignIn ? error.retryAfterSeconds : undefined;
      return { error: code === 'rate_limited' ? rateLimited(seconds) : WRONG_CREDENTIALS, values: { email } };
    }
    throw error; // the redirect after a successful sign-in
  }
}

export async function signUpAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const raw = {
    name: String(formData.get('name') ?? ''),
    email: String(formData.get('email') ?? ''),
    password: String(formData.get('password') ?? ''),
    ref: String(formData.get('ref') ?? ''),
  };
  const values = { name: raw.name, email: raw.email };
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    return { fieldErrors, values };
  }
  const claim = await claimAttempt([{ throttle: SIGN_UP_PER_IP, key: clientIp(await headers()) }]);
  if (!claim.ok) return { error: 'Too many sign-ups from your network. Try again later.', values };
  const result = await registerUser(parsed.data);
  if (!result.ok) return { fieldErrors: { [result.field]: result.message }, values };
  await signIn('credentials', {
    email: parsed.data.email,
    password: parsed.data.password,
    redirectTo: '/dashboard',
  });
  return {};
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/' });
}
