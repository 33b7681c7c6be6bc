import type { ReactNode } from 'react';
import { AdminNav } from '@/components/admin/admin-nav';
import { ModeBanner } from '@/components/admin/mode-banner';
import { signOutAction } from '@/app/(auth)/actions';
import { SiteHeader } from '@/components/layout/site-header';
import { requireRole } from '@/lib/auth/session';
import { stripeMode } from '@/lib/billing/stripe';
import { billingEnabled } from '@/lib/env';
import { appNavigation } from '@/lib/navigation';

// Staff only. Anonymous visitors are sent to sign-in; signed-in users without
// a staff role get a 404, so the area's existence is not advertised.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireRole(['admin', 'finance'], '/admin');
  const billing = billingEnabled();
  return (
    <>
      <ModeBanner mode={stripeMode()} />
      <SiteHeader links={appNavigation(user.role, billing)} email={user.email} signOut={signOutAction} />
      <main className="mx-auto max-w-6xl px-4 py-8">
        <AdminNav billing={billing} />
        {children}
      </main>
    </>
  );
}
