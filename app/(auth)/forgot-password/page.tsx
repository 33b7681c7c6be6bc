import type { Metadata } from 'next';
import Link from 'next/link';
import { forgotPasswordAction } from '@/app/(auth)/account-actions';
import { AccountForm } from '@/components/auth/account-form';

export const metadata: Metadata = { title: 'Forgot password' };

export default function ForgotPasswordPage() {
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Reset your password</h1>
      <AccountForm
        action={forgotPasswordAction}
        fields={[{ label: 'Email', name: 'email', type: 'email', autoComplete: 'email' }]}
        submitLabel="Email me a link"
        pendingLabel="Sending…"
        footer={
          <p className="text-center text-sm text-slate-600">
            <Link href="/sign-in" className="font-semibold text-indigo-600 hover:text-indigo-500">
              Back to sign in
            </Link>
          </p>
        }
      />
    </>
  );
}
