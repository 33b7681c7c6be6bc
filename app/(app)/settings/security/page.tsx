import type { Metadata } from 'next';
import { changePasswordAction, resendVerificationAction, signOutEverywhereAction } from './actions';
import { AccountForm } from '@/components/auth/account-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/session';
import { db } from '@/lib/db';

export const metadata: Metadata = { title: 'Security' };

export default async function SecurityPage({
  searchParams,
}: {
  searchParams: Promise<{ changed?: string }>;
}) {
  const user = await requireUser('/settings/security');
  const { changed } = await searchParams;
  const row = await db.user.findUnique({
    where: { id: user.id },
    select: { emailVerified: true, passwordHash: true },
  });
  return (
    <div className="max-w-2xl space-y-6">
      <h1 className="text-2xl font-bold">Security</h1>
      {changed ? (
        <Alert tone="success">Your password was changed. Every other session was signed out.</Alert>
      ) : null}
      <Card>
        <CardTitle>Email address</CardTitle>
        {row?.emailVerified ? (
          <p className="mt-3 text-sm text-slate-700" data-testid="email-status">
            {user.email} is confirmed.
          </p>
        ) : (
          <div className="mt-3 space-y-3">
            <p className="text-sm text-slate-700" data-testid="email-status">
              {user.email} is not confirmed yet. Until it is, you cannot create API keys or receive referral
              bonuses.
            </p>
            <AccountForm
              action={resendVerificationAction}
              fields={[]}
              submitLabel="Send a new link"
              pendingLabel="Sending…"
              variant="secondary"
            />
          </div>
        )}
      </Card>
      {row?.passwordHash ? (
        <Card>
          <CardTitle>Change password</CardTitle>
          <div className="mt-3">
            <AccountForm
              action={changePasswordAction}
              fields={[
                {
                  label: 'Current password',
                  name: 'current',
                  type: 'password',
                  autoComplete: 'current-password',
                },
                {
                  label: 'New password',
                  name: 'password',
                  type: 'password',
                  autoComplete: 'new-password',
                  hint: 'At least 10 characters.',
                },
              ]}
              submitLabel="Change password"
              pendingLabel="Saving…"
            />
          </div>
        </Card>
      ) : null}
      <Card>
        <CardTitle>Sessions</CardTitle>
        <p className="mt-3 text-sm text-slate-700">
          Lost a device, or signed in somewhere you should not have? End every session, this one included.
        </p>
        <form action={signOutEverywhereAction} className="mt-3">
          <Button type="submit" variant="secondary">
            Sign out everywhere
          </Button>
        </form>
      </Card>
    </div>
  );
}
