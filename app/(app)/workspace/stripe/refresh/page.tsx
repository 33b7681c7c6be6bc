import type { Metadata } from 'next';
import Link from 'next/link';
import { Card, CardTitle } from '@/components/ui/card';
import { StartConnectForm } from '@/components/workspaces/stripe-forms';
import { requireWorkspace } from '@/lib/workspaces/current';
import { startConnectAction } from '../actions';

export const metadata: Metadata = { title: 'Continue Stripe onboarding' };

// Stripe sends the member here when an onboarding link expired or was used. A GET changes
// nothing: the member asks for a fresh link with the button (a POST).
export default async function StripeOnboardingRefreshPage() {
  const { workspace } = await requireWorkspace('billing', '/workspace/stripe');
  return (
    <Card className="max-w-xl">
      <CardTitle>The onboarding link expired</CardTitle>
      <p className="mt-2 text-sm text-slate-600">
        Stripe’s onboarding links work once and for a few minutes. Continue where you left off:
      </p>
      <div className="mt-4">
        <StartConnectForm
          start={startConnectAction}
          workspaceId={workspace.id}
          label="Continue onboarding"
          chooseType={false}
        />
      </div>
      <p className="mt-4 text-sm">
        <Link href="/workspace/stripe" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Back to Settings → Stripe
        </Link>
      </p>
    </Card>
  );
}
