import type { Metadata } from 'next';
import { Card } from '@/components/ui/card';
import { Pager } from '@/components/ui/pager';
import { Table, Td } from '@/components/ui/table';
import { auditTrail } from '@/lib/admin/queries';
import { requireRole } from '@/lib/auth/session';
import { cursorOrFirstPage } from '@/lib/pagination';
import { formatMoney } from '@/lib/billing/catalog';

export const metadata: Metadata = { title: 'Audit log · Admin' };

export default async function AdminAuditPage({
  searchParams,
}: {
  searchParams: Promise<{ cursor?: string }>;
}) {
  await requireRole(['admin', 'finance'], '/admin/audit');
  const { cursor } = await searchParams;
  const entries = await auditTrail(null, cursorOrFirstPage(cursor));
  return (
    <Card>
      <h1 className="text-xl font-bold">Audit log</h1>
      <Table
        label="Audit log"
        headers={['When', 'Who', 'Action', 'Target', 'Amount', 'Stripe ids', 'Reason']}
        empty={entries.data.length === 0 && 'Nothing recorded yet.'}
      >
        {entries.data.map((a) => (
          <tr key={a.id}>
            <Td>{a.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</Td>
            <Td>{a.actorEmail}</Td>
            <Td>{a.action}</Td>
            <Td className="font-mono text-xs">
              {a.targetType} {a.targetId}
            </Td>
            <Td>{a.amount != null ? formatMoney(a.amount, a.currency ?? 'usd') : '—'}</Td>
            <Td className="font-mono text-xs">{a.stripeIds.join(' ')}</Td>
            <Td>{a.reason ?? ''}</Td>
          </tr>
        ))}
      </Table>
      <Pager basePath="/admin/audit" params={{}} nextCursor={entries.nextCursor} />
    </Card>
  );
}
