import type { ReactNode } from 'react';
import { signOutAction } from '@/app/(auth)/actions';
import { switchWorkspaceAction } from '@/app/(app)/workspace/actions';
import { SiteHeader } from '@/components/layout/site-header';
import { StripeStatus } from '@/components/workspaces/stripe-status';
import { WorkspaceSwitcher } from '@/components/workspaces/switcher';
import { requireUser } from '@/lib/auth/session';
import { connectionLabel, connectionView, isTestMode } from '@/lib/billing/connect/status';
import { billingEnabled } from '@/lib/env';
import { invoicingEnabled } from '@/lib/invoicing/gate';
import { appNavigation } from '@/lib/navigation';
import { currentWorkspace } from '@/lib/workspaces/current';
import { can } from '@/lib/workspaces/roles';
import { workspacesOf } from '@/lib/workspaces/service';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const [workspace, workspaces] = await Promise.all([currentWorkspace(user), workspacesOf(user.id)]);
  const [stripe, invoicing] = await Promise.all([
    connectionView(workspace.id),
    invoicingEnabled(workspace.id),
  ]);
  const stripeLabel = connectionLabel(stripe);
  return (
    <>
      <SiteHeader
        links={appNavigation(user.role, billingEnabled(), can(workspace.role, 'billing'), invoicing)}
        email={user.email}
        signOut={signOutAction}
        workspace={
          <>
            <WorkspaceSwitcher current={workspace} workspaces={workspaces} switchTo={switchWorkspaceAction} />
            {stripeLabel ? (
              <StripeStatus
                label={stripeLabel}
                testMode={stripe.state !== 'disconnected' && isTestMode(stripe)}
                href={can(workspace.role, 'billing') ? '/workspace/stripe' : null}
              />
            ) : null}
          </>
        }
      />
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </>
  );
}
