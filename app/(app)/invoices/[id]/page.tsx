import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { randomUUID } from 'node:crypto';
import { InvoiceSummary } from '@/components/invoicing/invoice-summary';
import { InvoiceStatusBadge } from '@/components/invoicing/status-badge';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Table, Td } from '@/components/ui/table';
import { InlineForm } from '@/components/workspaces/forms';
import { formatDate, formatMoney } from '@/lib/format';
import { requireInvoicing } from '@/lib/invoicing/gate';
import { invoiceNumber } from '@/lib/invoicing/inputs';
import { invoiceOf, payUrl } from '@/lib/invoicing/service';
import { can } from '@/lib/workspaces/roles';
import { refundClientPaymentAction, sendInvoiceAction, voidInvoiceAction } from '../actions';

export const metadata: Metadata = { title: 'Invoice' };

export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { workspace } = await requireInvoicing('use', `/invoices/${id}`);
  const invoice = await invoiceOf(workspace.id, id);
  if (!invoice) notFound();
  const manage = can(workspace.role, 'billing');
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  const hidden = { workspaceId: workspace.id, invoiceId: invoice.id };
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">
          {invoiceNumber(invoice.number)} <InvoiceStatusBadge status={invoice.status} />
        </h1>
        <div className="flex gap-2">
          <a href={`/api/invoices/${invoice.id}/pdf`} className={buttonClasses('secondary')}>
            Download PDF
          </a>
          {manage && invoice.status === 'draft' ? (
            <Link href={`/invoices/${invoice.id}/edit`} className={buttonClasses('secondary')}>
              Edit
            </Link>
          ) : null}
        </div>
      </div>
      <Card>
        <CardTitle>
          {invoice.client.name} &lt;{invoice.client.email}&gt;
        </CardTitle>
        <p className="mt-1 text-sm text-slate-600">
          Due {formatDate(invoice.dueDate)}
          {invoice.sentAt ? ` · sent ${formatDate(invoice.sentAt)}` : ''}
        </p>
        <InvoiceSummary invoice={invoice} nested />
        {invoice.notes ? (
          <p className="mt-4 whitespace-pre-line text-sm text-slate-600">{invoice.notes}</p>
        ) : null}
      </Card>
      {invoice.sentAt && invoice.status !== 'void' ? (
        <Card>
          <CardTitle>Payment link</CardTitle>
          <p className="mt-1 text-sm text-slate-600">The client pays here without an account.</p>
          <code className="mt-2 block break-all rounded bg-slate-50 px-2 py-1 text-sm" data-testid="pay-link">
            {payUrl(invoice.payToken)}
          </code>
        </Card>
      ) : null}
      {manage && invoice.status !== 'void' && invoice.status !== 'paid' ? (
        <Card className="space-y-3">
          <CardTitle>Actions</CardTitle>
          {invoice.status === 'draft' ? (
            <InlineForm
              action={sendInvoiceAction}
              hidden={hidden}
              submitLabel="Send invoice"
              pendingLabel="Sending…"
              variant="primary"
            />
          ) : null}
          {invoice.amountPaid === 0 ? (
            <InlineForm
              action={voidInvoiceAction}
              hidden={hidden}
              submitLabel="Void invoice"
              pendingLabel="Voiding…"
              confirm="The pay link stops working."
            >
              <Field label="Reason for voiding" name="reason" className="min-w-64" />
            </InlineForm>
          ) : null}
        </Card>
      ) : null}
      <Card>
        <CardTitle>Payments</CardTitle>
        <Table
          label="Payments"
          headers={['Paid', 'Stage', 'Amount', 'Refunded', ...(manage ? ['Refund'] : [])]}
          empty={invoice.payments.length === 0 && 'No payments yet. They appear when Stripe confirms them.'}
        >
          {invoice.payments.map((payment) => {
            const left = payment.amount - payment.amountRefunded;
            return (
              <tr key={payment.id}>
                <Td>{formatDate(payment.paidAt)}</Td>
                <Td>{payment.stage === 'deposit' ? 'Deposit' : 'Balance'}</Td>
                <Td>{money(payment.amount)}</Td>
                <Td>{money(payment.amountRefunded)}</Td>
                {manage ? (
                  <Td>
                    {left > 0 ? (
                      <InlineForm
                        action={refundClientPaymentAction}
                        hidden={{ workspaceId: workspace.id, paymentId: payment.id, token: randomUUID() }}
                        submitLabel="Refund"
                        pendingLabel="Refunding…"
                        confirm="Refund this amount to the client?"
                      >
                        <Field
                          id={`amount-${payment.id}`}
                          label={`Amount to refund (up to ${money(left)})`}
                          name="amount"
                          defaultValue={(left / 100).toFixed(2)}
                          className="w-40"
                        />
                        <Field
                          id={`reason-${payment.id}`}
                          label="Reason"
                          name="reason"
                          className="min-w-48"
                        />
                      </InlineForm>
                    ) : (
                      'Fully refunded'
                    )}
                  </Td>
                ) : null}
              </tr>
            );
          })}
        </Table>
      </Card>
    </div>
  );
}
