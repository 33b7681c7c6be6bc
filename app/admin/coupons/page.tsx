import type { Metadata } from 'next';
import { createCouponAction } from '@/app/admin/_actions/coupons';
import { ActionForm } from '@/components/admin/action-form';
import { Card, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Table, Td } from '@/components/ui/table';
import { requireRole } from '@/lib/auth/session';
import { recentCoupons } from '@/lib/billing/credits/coupons';
import { requireBilling } from '@/lib/billing/gate';
import { formatCount, formatDate } from '@/lib/format';

export const metadata: Metadata = { title: 'Coupons · Admin' };

export default async function AdminCouponsPage() {
  requireBilling();
  const viewer = await requireRole(['admin', 'finance'], '/admin/coupons');
  const coupons = await recentCoupons();
  return (
    <div className="space-y-6">
      {viewer.role === 'admin' ? (
        <Card>
          <CardTitle>Create a credit coupon</CardTitle>
          <ActionForm action={createCouponAction} submitLabel="Create coupon" pendingLabel="Creating…">
            <div className="mt-3 grid gap-4 sm:grid-cols-2">
              <Field label="Code" name="code" required hint="Letters, digits and dashes; case-insensitive." />
              <Field label="Credits" name="credits" inputMode="numeric" required />
              <Field label="Total redemptions (optional)" name="maxRedemptions" inputMode="numeric" />
              <Field label="Expires (optional)" name="expiresAt" type="date" />
            </div>
          </ActionForm>
        </Card>
      ) : null}
      <Card>
        <CardTitle>Coupons</CardTitle>
        <Table
          label="Coupons"
          headers={['Code', 'Credits', 'Redeemed', 'Expires', 'Created']}
          empty={coupons.length === 0 && 'No coupons yet.'}
        >
          {coupons.map((c) => (
            <tr key={c.id}>
              <Td className="font-mono">{c.code}</Td>
              <Td>{formatCount(c.credits)}</Td>
              <Td>
                {c.redemptionCount}
                {c.maxRedemptions != null ? ` / ${c.maxRedemptions}` : ''}
              </Td>
              <Td>{formatDate(c.expiresAt)}</Td>
              <Td>{formatDate(c.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}
