'use server';

import { headers } from 'next/headers';
import { AuthError } from 'next-auth';
import { z } from 'zod';
import { signIn, signOut } from '@/lib/auth/config';
import { registerUser, signUpSchema } from '@/lib/auth/service';
import { isLimited, recordHit, SIGN_UP_PER_IP } from '@/lib/rate-limit';

export interface FormState {
  error?: string;
  fieldErrors?: Record<string, string | undefined>;
  values?: Record<string, string>;
}

const WRONG_CREDENTIALS = 'Incorrect email or password.';
const RATE_LIMITED = 'Too many failed sign-in attempts. Wait 15 minutes and try again.';

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
      return { error: code === 'rate_limited' ? RATE_LIMITED : WRONG_CREDENTIALS, values: { email } };
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
  const ip = (await headers()).get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
  if (await isLimited(SIGN_UP_PER_IP, ip))
    return { error: 'Too many sign-ups from your network. Try again in an hour.', values };
  await recordHit(SIGN_UP_PER_IP, ip);
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
