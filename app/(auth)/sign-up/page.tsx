import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { signUpAction } from '@/app/(auth)/actions';
import { SignUpForm } from '@/components/auth/sign-up-form';
import { currentUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Create an account' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ ref?: string }> }) {
  if (await currentUser()) redirect('/dashboard');
  const { ref } = await searchParams;
  const referralCode = ref && /^[A-Za-z0-9]{4,32}$/.test(ref) ? ref.toUpperCase() : undefined;
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Create your account</h1>
      <SignUpForm signUp={signUpAction} referralCode={referralCode} />
    </>
  );
}
