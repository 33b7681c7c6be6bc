import type { Metadata } from 'next';
import Link from 'next/link';
import { verifyEmailAction } from '@/app/(auth)/account-actions';
import { AccountForm } from '@/components/auth/account-form';

export const metadata: Metadata = { title: 'Confirm your email' };

// Confirming takes a click, so a mail scanner that opens the link changes nothing.
export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const { token } = await searchParams;
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Confirm your email address</h1>
      <AccountForm
        action={verifyEmailAction}
        hidden={{ token: typeof token === 'string' ? token : '' }}
        fields={[]}
        submitLabel="Confirm my email"
        pendingLabel="Confirming…"
        footer={
          <p className="text-center text-sm text-slate-600">
            <Link href="/dashboard" className="font-semibold text-indigo-600 hover:text-indigo-500">
              Go to your dashboard
            </Link>
          </p>
        }
      />
    </>
  );
}
