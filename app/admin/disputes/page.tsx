import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { listDisputes } from '@/lib/admin/disputes';
import { requireRole } from '@/lib/auth/session';
import { formatMoney } from '@/lib/billing/catalog';
import { requireBilling } from '@/lib/billing/gate';
import { formatDate } from '@/lib/format';

export const metadata: Metadata = { title: 'Disputes · Admin' };

const tone = (status: string) =>
  status === 'won' ? 'green' : status === 'lost' ? 'red' : status.includes('review') ? 'blue' : 'yellow';

export default async function AdminDisputesPage() {
  requireBilling();
  await requireRole(['admin', 'finance'], '/admin/disputes');
  const disputes = await listDisputes();
  return (
    <Card>
      <h1 className="text-xl font-bold">Disputes</h1>
      <p className="mt-1 text-sm text-slate-600">
        Open disputes first, soonest evidence deadline first. Credits bought with a disputed payment are held
        back while the funds are withdrawn, and restored if the dispute is won.
      </p>
      <Table
        label="Disputes"
        headers={['Dispute', 'Payment', 'Amount', 'Status', 'Reason', 'Evidence due', 'Opened']}
      >
        {disputes.map((d) => (
          <tr key={d.id}>
            <Td className="font-mono text-xs">{d.id}</Td>
            <Td>
              {d.paymentId ? (
                <Link className="underline" href={`/admin/payments/${d.paymentId}`}>
                  {d.payment?.buyer?.email ?? d.payment?.workspace.name ?? d.paymentId}
                </Link>
              ) : (
                <span className="font-mono text-xs">{d.chargeId}</span>
              )}
            </Td>
            <Td>{formatMoney(d.amount, d.currency)}</Td>
            <Td>
              <Badge tone={tone(d.status)}>{d.status.replaceAll('_', ' ')}</Badge>
            </Td>
            <Td>{d.reason ?? '—'}</Td>
            <Td>{d.evidenceDueBy ? formatDate(d.evidenceDueBy) : '—'}</Td>
            <Td>{formatDate(d.stripeCreated)}</Td>
          </tr>
        ))}
      </Table>
      {disputes.length === 0 ? <p className="mt-4 text-sm text-slate-600">No disputes.</p> : null}
    </Card>
  );
}
