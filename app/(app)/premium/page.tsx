import type { Metadata } from 'next';
import { Card, CardTitle } from '@/components/ui/card';
import { requireEntitlement } from '@/lib/billing/entitlements';
import { requireBilling } from '@/lib/billing/gate';

export const metadata: Metadata = { title: 'Premium reports' };

// Gated on the server by the `premium_reports` entitlement.
export default async function PremiumPage() {
  requireBilling();
  const { user } = await requireEntitlement('premium_reports', '/premium');
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Premium reports</h1>
      <Card>
        <CardTitle>Revenue insights for {user.email}</CardTitle>
        <p className="mt-2 text-sm text-slate-600">
          Premium content unlocked. Your plan includes premium reports.
        </p>
      </Card>
    </div>
  );
}
