import type { Metadata } from 'next';
import Link from 'next/link';
import { resetPasswordAction } from '@/app/(auth)/account-actions';
import { AccountForm } from '@/components/auth/account-form';

export const metadata: Metadata = { title: 'Choose a new password' };

// The link only shows the form; the token is used up when the form is sent (link scanners cannot spend it).
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const { token } = await searchParams;
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Choose a new password</h1>
      <AccountForm
        action={resetPasswordAction}
        hidden={{ token: typeof token === 'string' ? token : '' }}
        fields={[
          {
            label: 'New password',
            name: 'password',
            type: 'password',
            autoComplete: 'new-password',
            hint: 'At least 10 characters.',
          },
        ]}
        submitLabel="Set new password"
        pendingLabel="Saving…"
        footer={
          <p className="text-center text-sm text-slate-600">
            <Link href="/sign-in" className="font-semibold text-indigo-600 hover:text-indigo-500">
              Sign in
            </Link>
          </p>
        }
      />
    </>
  );
}
