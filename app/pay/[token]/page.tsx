import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AutoRefresh } from '@/components/billing/auto-refresh';
import { InvoiceSummary } from '@/components/invoicing/invoice-summary';
import { InvoiceStatusBadge } from '@/components/invoicing/status-badge';
import { PayButton } from '@/components/invoicing/pay-button';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { formatDate, formatMoney } from '@/lib/format';
import { invoiceNumber } from '@/lib/invoicing/inputs';
import { dueNow } from '@/lib/invoicing/money';
import { invoiceByToken } from '@/lib/invoicing/service';
import { payInvoiceAction } from './actions';

// The client's page for one invoice: no account, the unguessable token in the URL is the access.
// It shows the state the webhooks wrote; coming back from Checkout (?paid=1) changes nothing.
export const metadata: Metadata = { title: 'Invoice', referrer: 'no-referrer', robots: { index: false } };

export default async function PayPage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ paid?: string }>;
}) {
  const { token } = await params;
  const { paid } = await searchParams;
  const invoice = await invoiceByToken(token);
  if (!invoice) notFound();
  const due = dueNow(invoice);
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  // Back from Checkout while its session is still open here: the payment's webhook is on its way.
  const confirming = paid === '1' && invoice.checkoutSessionId !== null;
  return (
    <main className="mx-auto max-w-2xl space-y-6 px-4 py-10">
      <div>
        <p className="text-sm text-slate-500">{invoice.workspace.name}</p>
        <h1 className="text-2xl font-bold">
          Invoice {invoiceNumber(invoice.number)} <InvoiceStatusBadge status={invoice.status} />
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          For {invoice.client.name} · due {formatDate(invoice.dueDate)}
        </p>
      </div>
      {confirming ? (
        <Alert tone="info">
          Thank you! Your payment is being confirmed; this page updates by itself.
          <AutoRefresh ms={1500} />
        </Alert>
      ) : null}
      <Card>
        <InvoiceSummary invoice={invoice} nested={false} />
        {invoice.notes ? <p className="whitespace-pre-line text-sm text-slate-600">{invoice.notes}</p> : null}
      </Card>
      {due && !confirming ? (
        <PayButton
          pay={payInvoiceAction}
          token={token}
          label={
            due.stage === 'deposit' ? `Pay the deposit of ${money(due.amount)}` : `Pay ${money(due.amount)}`
          }
        />
      ) : null}
      {!due ? <Alert tone="success">This invoice is paid in full. Thank you!</Alert> : null}
      <p className="text-sm">
        <a href={`/api/pay/${token}/pdf`} className="text-indigo-600 underline">
          Download the invoice (PDF)
        </a>
      </p>
      <p className="text-xs text-slate-500">Payments are processed securely by Stripe.</p>
    </main>
  );
}
