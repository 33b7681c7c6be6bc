import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { signInAction } from '@/app/(auth)/actions';
import { SignInForm } from '@/components/auth/sign-in-form';
import { currentUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string }>;
}) {
  if (await currentUser()) redirect('/dashboard');
  const { callbackUrl } = await searchParams;
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Sign in to your account</h1>
      <SignInForm signIn={signInAction} callbackUrl={callbackUrl} />
    </>
  );
}
