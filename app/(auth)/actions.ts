'use server';

import { headers } from 'next/headers';
import { AuthError } from 'next-auth';
import { z } from 'zod';
import { validatedAction, validatedFormAction } from '@/lib/action';
import { signIn, signOut } from '@/lib/auth/config';
import { registerUser, signUpSchema } from '@/lib/auth/service';
import { isLimited, recordHit, SIGN_UP_PER_IP } from '@/lib/rate-limit';

const WRONG_CREDENTIALS = 'Incorrect email or password.';
const RATE_LIMITED = 'Too many failed sign-in attempts. Wait 15 minutes and try again.';

/** Only same-origin paths are accepted as a post-sign-in destination. */
function safeCallback(path: string): string {
  return path.startsWith('/') && !path.startsWith('//') ? path : '/dashboard';
}

const signInSchema = z.object({
  email: z.string().trim().default(''),
  password: z.string().default(''),
  callbackUrl: z.string().default(''),
});

export const signInAction = validatedAction(
  { who: 'anyone', schema: signInSchema },
  async ({ email, password, callbackUrl }) => {
    try {
      await signIn('credentials', { email, password, redirectTo: safeCallback(callbackUrl) });
      return {};
    } catch (error) {
      if (error instanceof AuthError) {
        const code = 'code' in error ? error.code : undefined;
        return {
          ok: false,
          message: code === 'rate_limited' ? RATE_LIMITED : WRONG_CREDENTIALS,
          values: { email },
        };
      }
      throw error; // the redirect after a successful sign-in
    }
  },
);

export const signUpAction = validatedAction(
  {
    who: 'anyone',
    schema: z.preprocess(
      (form) => ({ name: '', email: '', password: '', ref: '', ...(form as object) }),
      signUpSchema,
    ),
    invalid: 'fields',
    echo: ['name', 'email'],
  },
  async (input) => {
    const ip = (await headers()).get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
    if (await isLimited(SIGN_UP_PER_IP, ip))
      return { ok: false, message: 'Too many sign-ups from your network. Try again in an hour.' };
    await recordHit(SIGN_UP_PER_IP, ip);
    const result = await registerUser(input);
    if (!result.ok) return { fieldErrors: { [result.field]: result.message } };
    await signIn('credentials', { email: input.email, password: input.password, redirectTo: '/dashboard' });
    return {};
  },
);

export const signOutAction = validatedFormAction({ who: 'anyone', schema: z.object({}) }, async () => {
  await signOut({ redirectTo: '/' });
  return {};
});
