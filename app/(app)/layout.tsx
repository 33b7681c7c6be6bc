import type { ReactNode } from 'react';
import { signOutAction } from '@/app/(auth)/actions';
import { SiteHeader } from '@/components/layout/site-header';
import { requireUser } from '@/lib/auth/session';
import { billingEnabled } from '@/lib/env';
import { appNavigation } from '@/lib/navigation';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <SiteHeader
        links={appNavigation(user.role, billingEnabled())}
        email={user.email}
        signOut={signOutAction}
      />
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </>
  );
}
