import 'server-only';
import { storableText } from '@/lib/api/text';
import { pdfText, renderDocumentPdf, type DocumentRow } from '@/lib/documents/pdf';
import { formatMoney } from '@/lib/billing/catalog';
import { db } from '@/lib/db';
import { formatDate } from '@/lib/format';
import type { PaymentKind, PaymentStatus, Role } from '@/lib/generated/prisma/enums';

// Receipts are rendered on request from the Payment mirror, never stored: a
// refund that arrives later shows on the next download.

const SELLER = 'Tollgate';
const STAFF_ROLES: readonly Role[] = ['admin', 'finance'];

export interface ReceiptData {
  number: string;
  paymentId: string;
  kind: PaymentKind;
  status: PaymentStatus;
  paidAt: Date;
  billedTo: { email: string; name: string | null };
  description: string | null;
  credits: number;
  amount: number;
  currency: string;
  /** Stripe's refunded total for the charge (not a sum of the refund rows). */
  amountRefunded: number;
  /** When Stripe made each refund (not when the mirror row was written). */
  refunds: { amount: number; status: string; refundedAt: Date }[];
  stripe: { invoiceId: string | null; paymentIntentId: string | null; chargeId: string | null };
  sample: boolean;
}

export type ReceiptRow = DocumentRow;

// Kept for callers of the receipt module; the layout lives in lib/documents/pdf.ts.
export { pdfText };

export interface ReceiptLines {
  title: string;
  banner: string | null;
  details: ReceiptRow[];
  items: ReceiptRow[];
  totals: ReceiptRow[];
  refunds: ReceiptRow[];
  references: ReceiptRow[];
}

/** A stable, human-readable number derived from the payment id (safe in a file name). */
export function receiptNumber(paymentId: string): string {
  return `TG-${paymentId.replace(/[^a-zA-Z0-9]/g, '').toUpperCase()}`;
}

/**
 * The receipt of a completed payment, or null when it does not exist, is not
 * completed, or the viewer is neither staff nor an owner or billing member of its workspace. The
 * owner scope is part of the query, so another workspace's payment looks exactly like a missing one.
 */
export async function receiptFor(
  paymentId: string,
  viewer: { id: string; role: Role },
): Promise<ReceiptData | null> {
  if (!storableText(paymentId)) return null;
  const payment = await db.payment.findFirst({
    where: {
      id: paymentId,
      completedAt: { not: null },
      ...(STAFF_ROLES.includes(viewer.role)
        ? {}
        : {
            workspace: {
              members: { some: { userId: viewer.id, role: { in: ['owner' as const, 'billing' as const] } } },
            },
          }),
    },
    select: {
      id: true,
      kind: true,
      status: true,
      completedAt: true,
      description: true,
      credits: true,
      amount: true,
      currency: true,
      amountRefunded: true,
      invoiceId: true,
      paymentIntentId: true,
      chargeId: true,
      sample: true,
      buyer: { select: { email: true } },
      workspace: { select: { name: true, customer: { select: { email: true } } } },
      refunds: {
        select: { amount: true, status: true, stripeCreated: true },
        orderBy: { stripeCreated: 'asc' },
      },
    },
  });
  if (!payment?.completedAt) return null;
  return {
    number: receiptNumber(payment.id),
    paymentId: payment.id,
    kind: payment.kind,
    status: payment.status,
    paidAt: payment.completedAt,
    // The workspace, at the address its buyer used (or its Stripe customer's, for invoices).
    billedTo: {
      name: payment.workspace.name,
      email: payment.buyer?.email ?? payment.workspace.customer?.email ?? '',
    },
    description: payment.description,
    credits: payment.credits,
    amount: payment.amount,
    currency: payment.currency,
    amountRefunded: payment.amountRefunded,
    refunds: payment.refunds.map((refund) => ({
      amount: refund.amount,
      status: refund.status,
      refundedAt: refund.stripeCreated,
    })),
    stripe: {
      invoiceId: payment.invoiceId,
      paymentIntentId: payment.paymentIntentId,
      chargeId: payment.chargeId,
    },
    sample: payment.sample,
  };
}

const STATUS_LABELS: Partial<Record<PaymentStatus, string>> = {
  completed: 'Paid',
  partially_refunded: 'Paid, partially refunded',
  refunded: 'Refunded',
};

function itemRows(data: ReceiptData): ReceiptRow[] {
  const description = data.description ?? (data.kind === 'subscription' ? 'Subscription' : 'Credits');
  const item: ReceiptRow = [description, formatMoney(data.amount, data.currency)];
  return data.credits > 0
    ? [item, ['Credits added to your balance', data.credits.toLocaleString('en-US')]]
    : [item];
}

/** Everything the receipt says, as text: the PDF only lays these rows out. */
export function receiptLines(data: ReceiptData): ReceiptLines {
  const money = (cents: number) => formatMoney(cents, data.currency);
  const refunded = Math.min(data.amountRefunded, data.amount);
  const billedTo = data.billedTo.name
    ? `${data.billedTo.name} <${data.billedTo.email}>`
    : data.billedTo.email;
  const references: ReceiptRow[] = [['Payment ID', data.paymentId]];
  if (data.stripe.invoiceId) references.push(['Stripe invoice', data.stripe.invoiceId]);
  if (data.stripe.paymentIntentId) references.push(['Stripe payment intent', data.stripe.paymentIntentId]);
  if (data.stripe.chargeId) references.push(['Stripe charge', data.stripe.chargeId]);
  return {
    title: `${SELLER} receipt`,
    banner: data.sample ? 'SAMPLE DATA: not a real payment' : null,
    details: [
      ['Receipt number', data.number],
      ['Date paid', formatDate(data.paidAt)],
      ['Billed to', billedTo],
      ['Status', STATUS_LABELS[data.status] ?? data.status],
    ],
    items: itemRows(data),
    totals:
      refunded > 0
        ? [
            ['Amount paid', money(data.amount)],
            ['Refunded', `-${money(refunded)}`],
            ['Net paid', money(data.amount - refunded)],
          ]
        : [['Amount paid', money(data.amount)]],
    refunds: data.refunds.map((refund) => [
      `Refund on ${formatDate(refund.refundedAt)} (${refund.status})`,
      money(refund.amount),
    ]),
    references,
  };
}

/** The receipt as a PDF, laid out by the shared document module. */
export function renderReceiptPdf(data: ReceiptData): Promise<Buffer> {
  const lines = receiptLines(data);
  return renderDocumentPdf({
    issuer: SELLER,
    kind: 'Receipt',
    banner: lines.banner,
    sections: [
      { heading: 'Details', rows: lines.details, align: 'left' },
      { heading: 'Item', rows: lines.items, align: 'right' },
      { heading: 'Total', rows: lines.totals, align: 'right', boldLast: true },
      { heading: 'Refunds', rows: lines.refunds, align: 'right' },
      { heading: 'References', rows: lines.references, align: 'left' },
    ],
    footer: `Issued by ${SELLER}. Payments are processed by Stripe.`,
    info: { Title: `${lines.title} ${data.number}`, Author: SELLER, Subject: 'Payment receipt' },
  });
}
