import 'server-only';
import { db } from '@/lib/db';
import { type DocumentRow, type DocumentSection, renderDocumentPdf } from '@/lib/documents/pdf';
import { formatDate, formatMoney } from '@/lib/format';
import { invoiceNumber } from './inputs';
import { dueNow } from './money';

// A client invoice as a document: its words here, its layout in lib/documents/pdf.ts (the same
// module as the payment receipts). Rendered on request, so a payment or refund that arrives later
// shows on the next download.

export interface InvoiceDocumentData {
  number: number;
  status: string;
  currency: string;
  taxRateBps: number;
  dueDate: Date;
  sentAt: Date | null;
  notes: string | null;
  subtotal: number;
  tax: number;
  total: number;
  depositAmount: number;
  amountPaid: number;
  amountRefunded: number;
  workspace: { name: string };
  client: { name: string; email: string; address: string | null };
  lines: { description: string; quantity: number; unitAmount: number; amount: number }[];
  payments: { stage: string; amount: number; amountRefunded: number; paidAt: Date }[];
}

const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  sent: 'Awaiting payment',
  deposit_paid: 'Deposit paid',
  paid: 'Paid',
  void: 'Void',
  overdue: 'Overdue',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

function percent(bps: number): string {
  return `${(bps / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

/** Everything the invoice says, as sections of rows. */
export function invoiceSections(data: InvoiceDocumentData): DocumentSection[] {
  const money = (cents: number) => formatMoney(cents, data.currency);
  const billedTo = [`${data.client.name} <${data.client.email}>`, data.client.address]
    .filter(Boolean)
    .join('\n');
  const totals: DocumentRow[] = [['Subtotal', money(data.subtotal)]];
  if (data.taxRateBps > 0) totals.push([`Tax (${percent(data.taxRateBps)})`, money(data.tax)]);
  totals.push(['Total', money(data.total)]);
  const schedule: DocumentRow[] = [];
  if (data.depositAmount > 0) {
    schedule.push(
      ['Deposit', money(data.depositAmount)],
      ['Balance', money(data.total - data.depositAmount)],
    );
  }
  if (data.amountPaid > 0) schedule.push(['Paid', money(data.amountPaid)]);
  if (data.amountRefunded > 0) schedule.push(['Refunded', `-${money(data.amountRefunded)}`]);
  const due = data.status === 'void' ? null : dueNow(data);
  schedule.push(['Due now', money(due?.amount ?? 0)]);
  return [
    {
      heading: 'Details',
      align: 'left',
      rows: [
        ['Invoice number', invoiceNumber(data.number)],
        ['Issued', formatDate(data.sentAt)],
        ['Due', formatDate(data.dueDate)],
        ['Billed to', billedTo],
        ['Status', statusLabel(data.status)],
      ],
    },
    {
      heading: 'Items',
      align: 'right',
      rows: data.lines.map((line) => [
        line.quantity === 1
          ? line.description
          : `${line.description} (${line.quantity} × ${money(line.unitAmount)})`,
        money(line.amount),
      ]),
    },
    { heading: 'Total', align: 'right', boldLast: true, rows: totals },
    { heading: 'Payments', align: 'right', boldLast: true, rows: schedule },
    {
      heading: 'Received',
      align: 'right',
      rows: data.payments.map((p) => [
        `${p.stage === 'deposit' ? 'Deposit' : 'Payment'} on ${formatDate(p.paidAt)}${p.amountRefunded > 0 ? ` (${money(p.amountRefunded)} refunded)` : ''}`,
        money(p.amount),
      ]),
    },
    { heading: 'Notes', align: 'left', rows: data.notes ? [['', data.notes]] : [] },
  ];
}

export function renderInvoicePdf(data: InvoiceDocumentData): Promise<Buffer> {
  const number = invoiceNumber(data.number);
  return renderDocumentPdf({
    issuer: data.workspace.name,
    kind: `Invoice ${number}`,
    banner: data.status === 'void' ? 'VOID: nothing is due on this invoice' : null,
    sections: invoiceSections(data),
    footer: `Issued by ${data.workspace.name}. Payments are processed by Stripe.`,
    info: { Title: `Invoice ${number}`, Author: data.workspace.name, Subject: 'Invoice' },
  });
}

export function invoiceFileName(number: number): string {
  return `${invoiceNumber(number)}.pdf`;
}

/** The PDF attached to an invoice email (rendered when the email is sent). */
export async function invoiceAttachment(
  invoiceId: string,
): Promise<{ filename: string; content: Buffer } | null> {
  const invoice = await db.clientInvoice.findUnique({
    where: { id: invoiceId },
    include: {
      workspace: { select: { name: true } },
      client: { select: { name: true, email: true, address: true } },
      lines: { orderBy: { position: 'asc' } },
      payments: { orderBy: { paidAt: 'asc' } },
    },
  });
  if (!invoice) return null;
  return { filename: invoiceFileName(invoice.number), content: await renderInvoicePdf(invoice) };
}
