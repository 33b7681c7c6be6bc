import type { Metadata } from 'next';
import Link from 'next/link';
import { signOutAction } from '@/app/(auth)/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { AcceptInvitationForm, SignUpAndAcceptForm } from '@/components/workspaces/accept-forms';
import { currentUser } from '@/lib/auth/session';
import { viewInvitation } from '@/lib/workspaces/accept';
import { roleLabels } from '@/lib/workspaces/labels';
import { acceptInvitationAction, signUpAndAcceptAction } from './actions';

// The token is in the URL: no other site learns it from a Referer header.
export const metadata: Metadata = { title: 'Join a workspace', referrer: 'no-referrer' };

const linkClass = 'font-semibold text-indigo-600 hover:text-indigo-500';

// Joining takes a click, so a mail scanner that opens the link uses nothing up.
export default async function InvitePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token: raw } = await searchParams;
  const token = typeof raw === 'string' ? raw : '';
  const [view, user] = await Promise.all([viewInvitation(token), currentUser()]);
  if (!view.ok) {
    return (
      <>
        <h1 className="mb-6 text-xl font-semibold">Join a workspace</h1>
        <Alert tone="error">{view.message}</Alert>
        <p className="mt-6 text-center text-sm">
          <Link href={user ? '/dashboard' : '/sign-in'} className={linkClass}>
            {user ? 'Go to your dashboard' : 'Sign in'}
          </Link>
        </p>
      </>
    );
  }
  const here = `/invite?token=${encodeURIComponent(token)}`;
  return (
    <>
      <h1 className="mb-2 text-xl font-semibold">Join {view.workspaceName}</h1>
      <p className="mb-6 text-sm text-slate-600" data-testid="invitation-summary">
        {view.inviter ?? 'A member'} invited {view.email} to join as {roleLabels[view.role].toLowerCase()}.
      </p>
      {user && user.email.toLowerCase() !== view.email ? (
        <div className="space-y-4">
          <Alert tone="error">
            This invitation is for {view.email}, but you are signed in as {user.email}. Sign out, then open
            the link again and sign in as {view.email}.
          </Alert>
          <form action={signOutAction}>
            <Button type="submit" variant="secondary" className="w-full">
              Sign out
            </Button>
          </form>
        </div>
      ) : user ? (
        <AcceptInvitationForm
          accept={acceptInvitationAction}
          token={token}
          label={`Join ${view.workspaceName}`}
        />
      ) : view.accountExists ? (
        <p className="text-center text-sm">
          <Link
            href={`/sign-in?email=${encodeURIComponent(view.email)}&callbackUrl=${encodeURIComponent(here)}`}
            className={linkClass}
          >
            Sign in as {view.email} to accept
          </Link>
        </p>
      ) : (
        <>
          <SignUpAndAcceptForm signUp={signUpAndAcceptAction} token={token} email={view.email} />
          <p className="mt-6 text-center text-sm text-slate-600">
            Already have an account with another address? The invitation is for {view.email}: ask for one to
            your address.
          </p>
        </>
      )}
    </>
  );
}
