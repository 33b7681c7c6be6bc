import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { InvoiceForm } from '@/components/invoicing/invoice-form';
import { Card } from '@/components/ui/card';
import { listClients } from '@/lib/invoicing/clients';
import { requireInvoicing } from '@/lib/invoicing/gate';
import { CURRENCIES, invoiceNumber, MAX_LINES } from '@/lib/invoicing/inputs';
import { invoiceOf } from '@/lib/invoicing/service';
import { updateInvoiceAction } from '../../actions';

export const metadata: Metadata = { title: 'Edit invoice' };

const decimal = (cents: number) => (cents / 100).toFixed(2);

export default async function EditInvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { workspace } = await requireInvoicing('billing', `/invoices/${id}/edit`);
  const [invoice, clients] = await Promise.all([invoiceOf(workspace.id, id), listClients(workspace.id)]);
  if (!invoice || invoice.status !== 'draft') notFound();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Edit {invoiceNumber(invoice.number)}</h1>
      <Card>
        <InvoiceForm
          submit={updateInvoiceAction}
          workspaceId={workspace.id}
          invoiceId={invoice.id}
          clients={clients}
          currencies={CURRENCIES}
          rows={Math.min(MAX_LINES, invoice.lines.length + 3)}
          submitLabel="Save draft"
          initial={{
            clientId: invoice.clientId,
            currency: invoice.currency,
            dueDate: invoice.dueDate.toISOString().slice(0, 10),
            taxRate: invoice.taxRateBps ? String(invoice.taxRateBps / 100) : '',
            depositKind: invoice.depositKind ?? 'none',
            depositValue:
              invoice.depositKind === 'amount'
                ? decimal(invoice.depositValue ?? 0)
                : String(invoice.depositValue ?? ''),
            notes: invoice.notes ?? '',
            lines: invoice.lines.map((line) => ({
              description: line.description,
              quantity: String(line.quantity),
              unitAmount: decimal(line.unitAmount),
            })),
          }}
        />
      </Card>
    </div>
  );
}
