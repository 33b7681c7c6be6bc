import type { Metadata } from 'next';
import { createCouponAction } from '@/app/admin/_actions/coupons';
import { ActionForm } from '@/components/admin/action-form';
import { Card, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Pager } from '@/components/ui/pager';
import { Table, Td } from '@/components/ui/table';
import { listCoupons } from '@/lib/admin/queries';
import { requireRole } from '@/lib/auth/session';
import { requireBilling } from '@/lib/billing/gate';
import { formatCount, formatDate } from '@/lib/format';
import { cursorOrFirstPage } from '@/lib/pagination';

export const metadata: Metadata = { title: 'Coupons · Admin' };

export default async function AdminCouponsPage({
  searchParams,
}: {
  searchParams: Promise<{ cursor?: string }>;
}) {
  requireBilling();
  const viewer = await requireRole(['admin', 'finance'], '/admin/coupons');
  const coupons = await listCoupons(cursorOrFirstPage((await searchParams).cursor));
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
          empty={coupons.data.length === 0 && 'No coupons yet.'}
        >
          {coupons.data.map((c) => (
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
        <Pager basePath="/admin/coupons" params={{}} nextCursor={coupons.nextCursor} />
      </Card>
    </div>
  );
}
