import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PaymentStatusBadge } from '@/components/credits/payment-status';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Pager } from '@/components/ui/pager';
import { Table, Td } from '@/components/ui/table';
import { listPayments } from '@/lib/admin/queries';
import { requireRole } from '@/lib/auth/session';
import { formatMoney } from '@/lib/billing/catalog';
import { requireBilling } from '@/lib/billing/gate';
import { formatDate } from '@/lib/format';
import { PaymentKind, PaymentStatus } from '@/lib/generated/prisma/enums';
import { cursorOrFirstPage } from '@/lib/pagination';

export const metadata: Metadata = { title: 'Payments · Admin' };

const statuses = Object.values(PaymentStatus);
const kinds = Object.values(PaymentKind);

export default async function AdminPaymentsPage({
  searchParams,
}: {
  searchParams: Promise<{ status?: string; kind?: string; q?: string; cursor?: string }>;
}) {
  requireBilling();
  await requireRole(['admin', 'finance'], '/admin/payments');
  const params = await searchParams;
  const status = statuses.find((s) => s === params.status);
  const kind = kinds.find((k) => k === params.kind);
  if ((params.status && !status) || (params.kind && !kind)) notFound();
  const payments = await listPayments({ status, kind, q: params.q }, cursorOrFirstPage(params.cursor));
  return (
    <Card>
      <h1 className="text-xl font-bold">Payments</h1>
      <form className="mt-4 flex flex-wrap items-end gap-3" aria-label="Filter payments">
        <div>
          <label htmlFor="status" className="block text-sm font-medium">
            Status
          </label>
          <select
            id="status"
            name="status"
            defaultValue={status ?? ''}
            className="rounded-md px-3 py-2 text-sm ring-1 ring-slate-300"
          >
            <option value="">Any</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="kind" className="block text-sm font-medium">
            Kind
          </label>
          <select
            id="kind"
            name="kind"
            defaultValue={kind ?? ''}
            className="rounded-md px-3 py-2 text-sm ring-1 ring-slate-300"
          >
            <option value="">Any</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="q" className="block text-sm font-medium">
            Search
          </label>
          <input
            id="q"
            name="q"
            defaultValue={params.q}
            placeholder="Email, pay id, cus_, pi_, cs_, in_, ch_, re_"
            className="w-64 rounded-md px-3 py-2 text-sm ring-1 ring-slate-300"
          />
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      <Table
        label="Payments"
        headers={['Date', 'Customer', 'Description', 'Amount', 'Refunded', 'Status']}
        empty={payments.data.length === 0 && 'No payments match these filters.'}
      >
        {payments.data.map((p) => (
          <tr key={p.id}>
            <Td>{formatDate(p.createdAt)}</Td>
            <Td>{p.buyer?.email ?? p.workspace.name}</Td>
            <Td>
              <Link href={`/admin/payments/${p.id}`} className="text-indigo-600 hover:text-indigo-500">
                {p.description ?? p.kind}
              </Link>{' '}
              {p.sample ? <Badge tone="yellow">sample</Badge> : null}
            </Td>
            <Td>{formatMoney(p.amount, p.currency)}</Td>
            <Td>{p.amountRefunded ? formatMoney(p.amountRefunded, p.currency) : '—'}</Td>
            <Td>
              <PaymentStatusBadge status={p.status} />
            </Td>
          </tr>
        ))}
      </Table>
      <Pager
        basePath="/admin/payments"
        params={{ status, kind, q: params.q }}
        nextCursor={payments.nextCursor}
      />
    </Card>
  );
}
