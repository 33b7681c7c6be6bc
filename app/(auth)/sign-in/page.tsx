import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { oauthSignInAction, signInAction } from '@/app/(auth)/actions';
import { SignInForm } from '@/components/auth/sign-in-form';
import { Button } from '@/components/ui/button';
import { enabledOAuthProviders } from '@/lib/auth/oauth';
import { env } from '@/lib/env';
import { currentUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; email?: string }>;
}) {
  if (await currentUser()) redirect('/dashboard');
  const { callbackUrl, email } = await searchParams;
  const prefill = z.email().max(254).safeParse(email);
  const providers = enabledOAuthProviders(env());
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Sign in to your account</h1>
      <SignInForm
        signIn={signInAction}
        callbackUrl={callbackUrl}
        email={prefill.success ? prefill.data : undefined}
      />
      {providers.length > 0 ? (
        <div className="mt-6 space-y-3 border-t border-slate-200 pt-6">
          {providers.map((provider) => (
            <form key={provider.id} action={oauthSignInAction}>
              <input type="hidden" name="provider" value={provider.id} />
              <input type="hidden" name="callbackUrl" value={callbackUrl ?? '/dashboard'} />
              <Button type="submit" variant="secondary" className="w-full">
                Continue with {provider.name}
              </Button>
            </form>
          ))}
        </div>
      ) : null}
    </>
  );
}
