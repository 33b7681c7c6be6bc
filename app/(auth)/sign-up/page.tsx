import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignUpForm } from '@/components/auth/sign-up-form';
import { currentUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Create an account' };

export default async function SignUpPage() {
  if (await currentUser()) redirect('/dashboard');
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Create your account</h1>
      <SignUpForm />
    </>
  );
}
