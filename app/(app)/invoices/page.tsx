import type { Metadata } from 'next';
import Link from 'next/link';
import { ClientForm } from '@/components/invoicing/invoice-form';
import { InvoiceStatusBadge } from '@/components/invoicing/status-badge';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { Pager } from '@/components/ui/pager';
import { Table, Td } from '@/components/ui/table';
import { formatDate, formatMoney } from '@/lib/format';
import { listClients } from '@/lib/invoicing/clients';
import { requireInvoicing } from '@/lib/invoicing/gate';
import { invoiceNumber } from '@/lib/invoicing/inputs';
import { listInvoices } from '@/lib/invoicing/service';
import { cursorOrFirstPage } from '@/lib/pagination';
import { can } from '@/lib/workspaces/roles';
import { createClientAction } from './actions';

export const metadata: Metadata = { title: 'Invoices' };

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const { workspace } = await requireInvoicing('use', '/invoices');
  const { cursor } = await searchParams;
  const manage = can(workspace.role, 'billing');
  const [invoices, clients] = await Promise.all([
    listInvoices(workspace.id, cursorOrFirstPage(cursor)),
    manage ? listClients(workspace.id) : [],
  ]);
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold">Invoices</h1>
        {manage && clients.length > 0 ? (
          <Link href="/invoices/new" className={buttonClasses()}>
            New invoice
          </Link>
        ) : null}
      </div>
      <Card>
        <CardTitle>Client invoices of {workspace.name}</CardTitle>
        <Table
          label="Invoices"
          headers={['Number', 'Client', 'Status', 'Total', 'Paid', 'Due']}
          empty={invoices.data.length === 0 && (cursor ? 'No more invoices.' : 'No invoices yet.')}
        >
          {invoices.data.map((invoice) => (
            <tr key={invoice.id}>
              <Td>
                <Link
                  href={`/invoices/${invoice.id}`}
                  className="font-medium text-indigo-600 hover:underline"
                >
                  {invoiceNumber(invoice.number)}
                </Link>
              </Td>
              <Td>{invoice.client.name}</Td>
              <Td>
                <InvoiceStatusBadge status={invoice.status} />
              </Td>
              <Td>{formatMoney(invoice.total, invoice.currency)}</Td>
              <Td>{formatMoney(invoice.amountPaid, invoice.currency)}</Td>
              <Td>{formatDate(invoice.dueDate)}</Td>
            </tr>
          ))}
        </Table>
        <Pager basePath="/invoices" params={{}} nextCursor={invoices.nextCursor} />
      </Card>
      {manage ? (
        <Card>
          <CardTitle>Clients</CardTitle>
          <p className="mb-4 mt-1 text-sm text-slate-600">
            {clients.length === 0
              ? 'Add a client to send them an invoice.'
              : clients.map((client) => client.name).join(', ')}
          </p>
          <ClientForm create={createClientAction} workspaceId={workspace.id} />
        </Card>
      ) : null}
    </div>
  );
}
