'use server';

import { headers } from 'next/headers';
import { AuthError } from 'next-auth';
import { z } from 'zod';
import { validatedAction, validatedFormAction } from '@/lib/action';
import { RateLimitedSignIn, signIn, signOut } from '@/lib/auth/config';
import { enabledOAuthProviders } from '@/lib/auth/oauth';
import { registerUser, signUpSchema } from '@/lib/auth/service';
import { env } from '@/lib/env';
import { clientIp } from '@/lib/net/client-ip';
import { claimAttempt, SIGN_UP_PER_IP } from '@/lib/rate-limit';

const WRONG_CREDENTIALS = 'Incorrect email or password.';
function rateLimited(seconds: number | undefined): string {
  if (!seconds) return 'Too many failed sign-in attempts. Wait a moment and try again.';
  const wait =
    seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many failed sign-in attempts. Try again in ${wait}.`;
}

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
        const seconds = error instanceof RateLimitedSignIn ? error.retryAfterSeconds : undefined;
        return {
          ok: false,
          message: code === 'rate_limited' ? rateLimited(seconds) : WRONG_CREDENTIALS,
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
    const claim = await claimAttempt([
      {
        throttle: { ...SIGN_UP_PER_IP, free: env().SIGN_UP_PER_IP_PER_HOUR },
        key: clientIp(await headers()),
      },
    ]);
    if (!claim.ok) return { ok: false, message: 'Too many sign-ups from your network. Try again later.' };
    // The same answer for a new and a registered email; the mailbox tells them apart.
    await registerUser(input);
    return { ok: true, message: CHECK_EMAIL(input.email) };
  },
);

export const signOutAction = validatedFormAction({ who: 'anyone', schema: z.object({}) }, async () => {
  await signOut({ redirectTo: '/' });
  return {};
});

const CHECK_EMAIL = (email: string) =>
  `Check your inbox: we sent a link to ${email}. Open it to confirm your address, then sign in.`;

/** The state of the small account forms (forgot, reset, verify, security settings). */
export interface FormState {
  error?: string;
  notice?: string;
  fieldErrors?: Record<string, string | undefined>;
  values?: Record<string, string>;
}

const oauthSchema = z.object({ provider: z.enum(['github', 'google']) });

/** "Continue with GitHub/Google": only for a provider whose env is set. */
export async function oauthSignInAction(formData: FormData): Promise<void> {
  const parsed = oauthSchema.safeParse({ provider: formData.get('provider') });
  if (!parsed.success || !enabledOAuthProviders(env()).some((p) => p.id === parsed.data.provider)) return;
  const callbackUrl = formData.get('callbackUrl');
  await signIn(parsed.data.provider, {
    redirectTo: safeCallback(typeof callbackUrl === 'string' ? callbackUrl : ''),
  });
}
