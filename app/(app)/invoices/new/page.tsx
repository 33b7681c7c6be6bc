import type { Metadata } from 'next';
import Link from 'next/link';
import { InvoiceForm } from '@/components/invoicing/invoice-form';
import { Card } from '@/components/ui/card';
import { listClients } from '@/lib/invoicing/clients';
import { requireInvoicing } from '@/lib/invoicing/gate';
import { CURRENCIES, defaultDueDate } from '@/lib/invoicing/inputs';
import { createInvoiceAction } from '../actions';

export const metadata: Metadata = { title: 'New invoice' };

export default async function NewInvoicePage() {
  const { workspace } = await requireInvoicing('billing', '/invoices/new');
  const clients = await listClients(workspace.id);
  const due = defaultDueDate();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">New invoice</h1>
      <Card>
        {clients.length === 0 ? (
          <p className="text-sm text-slate-600">
            Add a client on the{' '}
            <Link href="/invoices" className="text-indigo-600 underline">
              invoices page
            </Link>{' '}
            first.
          </p>
        ) : (
          <InvoiceForm
            submit={createInvoiceAction}
            workspaceId={workspace.id}
            clients={clients}
            currencies={CURRENCIES}
            rows={5}
            submitLabel="Save draft"
            initial={{
              clientId: clients[0]!.id,
              currency: 'usd',
              dueDate: due,
              taxRate: '',
              depositKind: 'none',
              depositValue: '',
              notes: '',
              lines: [],
            }}
          />
        )}
      </Card>
    </div>
  );
}
