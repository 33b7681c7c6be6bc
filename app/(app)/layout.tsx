import type { ReactNode } from 'react';
import { signOutAction } from '@/app/(auth)/actions';
import { SiteHeader } from '@/components/layout/site-header';
import { requireUser } from '@/lib/auth/session';
import { billingEnabled } from '@/lib/env';
import { appNavigation } from '@/lib/navigation';
import { currentWorkspace } from '@/lib/workspaces/current';
import { can } from '@/lib/workspaces/roles';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const workspace = await currentWorkspace(user);
  return (
    <>
      <SiteHeader
        links={appNavigation(user.role, billingEnabled(), can(workspace.role, 'billing'))}
        email={user.email}
        signOut={signOutAction}
      />
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </>
  );
}
