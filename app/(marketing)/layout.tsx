import type { ReactNode } from 'react';
import { MarketingHeader } from '@/components/layout/marketing-header';
import { currentUser } from '@/lib/auth/session';
import { billingEnabled } from '@/lib/env';

export default async function MarketingLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <>
      <MarketingHeader billing={billingEnabled()} signedIn={Boolean(user)} />
      {children}
    </>
  );
}
