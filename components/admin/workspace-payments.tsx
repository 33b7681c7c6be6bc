import Link from 'next/link';
import { PaymentStatusBadge } from '@/components/credits/payment-status';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { formatMoney } from '@/lib/billing/catalog';
import { formatDate } from '@/lib/format';
import type { PaymentStatus } from '@/lib/generated/prisma/enums';

export interface WorkspacePaymentRow {
  id: string;
  status: PaymentStatus;
  kind: string;
  amount: number;
  currency: string;
  description: string | null;
  createdAt: Date;
}

/** A workspace's newest payments in the back office, each linking to its payment page. */
export function WorkspacePayments({ label, payments }: { label: string; payments: WorkspacePaymentRow[] }) {
  return (
    <Card>
      <CardTitle>Payments</CardTitle>
      <Table
        label={label}
        headers={['Date', 'Description', 'Amount', 'Status']}
        empty={payments.length === 0 && 'No payments.'}
      >
        {payments.map((p) => (
          <tr key={p.id}>
            <Td>{formatDate(p.createdAt)}</Td>
            <Td>
              <Link href={`/admin/payments/${p.id}`} className="text-indigo-600 hover:text-indigo-500">
                {p.description ?? p.kind}
              </Link>
            </Td>
            <Td>{formatMoney(p.amount, p.currency)}</Td>
            <Td>
              <PaymentStatusBadge status={p.status} />
            </Td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}
