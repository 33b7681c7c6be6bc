import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AutoRefresh } from '@/components/billing/auto-refresh';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { accessOf, featureArriving, featureName } from '@/lib/billing/entitlements';
import { requireBilling } from '@/lib/billing/gate';
import { requireWorkspace } from '@/lib/workspaces/current';
import { safeReturnPath } from '@/lib/workspaces/return-path';
import { formatDate } from '@/lib/format';

export const metadata: Metadata = { title: 'Upgrade' };

export default async function UpgradePage({
  searchParams,
}: {
  searchParams: Promise<{ feature?: string; from?: string }>;
}) {
  requireBilling();
  const { workspace } = await requireWorkspace('use', '/upgrade');
  const { feature = 'premium_reports', from } = await searchParams;
  const access = await accessOf(workspace.id);
  // Arrived meanwhile (this page refreshes while a new plan's features are switched on).
  if (from && access.keys.includes(feature)) redirect(safeReturnPath(from));
  if (!access.downgraded && (await featureArriving(workspace.id, feature, access)))
    return (
      <Card className="mx-auto max-w-lg">
        <div role="status" aria-live="polite">
          <h1 className="text-xl font-bold">Switching on {featureName(feature)}…</h1>
          <p className="mt-3 text-sm text-slate-600">
            Your new plan includes {featureName(feature)}. Stripe is confirming it; this page continues by
            itself in a moment.
          </p>
        </div>
        <AutoRefresh />
      </Card>
    );
  return (
    <Card className="mx-auto max-w-lg">
      <h1 className="text-xl font-bold">{featureName(feature)} is not included in your plan</h1>
      <p className="mt-3 text-sm text-slate-600">
        {access.downgraded
          ? `Your last payment failed and the grace period ended on ${formatDate(access.graceEndsAt)}. Update your payment method to restore it.`
          : `Upgrade to a plan that includes ${featureName(feature)} to use it.`}
      </p>
      <div className="mt-6 flex gap-3">
        <Link href={access.downgraded ? '/billing' : '/pricing'} className={buttonClasses('primary')}>
          {access.downgraded ? 'Go to billing' : 'See pricing'}
        </Link>
      </div>
    </Card>
  );
}
