import 'server-only';
import { storableText } from '@/lib/api/text';
import PDFDocument from 'pdfkit';
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

export type ReceiptRow = [label: string, value: string];

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

// The built-in Helvetica encodes WinAnsi only; anything else (CJK, emoji) would
// print as garbage, so it prints as "?". Embedding a TTF font would lift this.
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
export function pdfText(text: string): string {
  return Array.from(text, (char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char)
      ? char
      : '?';
  }).join('');
}

// Layout, in PDF points on an A4 page.
const LEFT = 56;
const RIGHT = 539;
const VALUE_X = 200;

function rows(
  doc: PDFKit.PDFDocument,
  heading: string,
  entries: ReceiptRow[],
  options: { alignValues: 'left' | 'right'; boldLast?: boolean },
) {
  if (entries.length === 0) return;
  doc.moveDown(1.2).font('Helvetica-Bold').fontSize(11).fillColor('#111827').text(heading, LEFT);
  doc
    .moveTo(LEFT, doc.y + 2)
    .lineTo(RIGHT, doc.y + 2)
    .strokeColor('#d1d5db')
    .stroke();
  doc.moveDown(0.5);
  entries.forEach(([label, value], index) => {
    const bold = options.boldLast && index === entries.length - 1;
    const y = doc.y;
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(10)
      .fillColor('#374151');
    if (options.alignValues === 'right') {
      doc.text(pdfText(label), LEFT, y, { width: 330 });
      const labelBottom = doc.y;
      doc.text(pdfText(value), LEFT + 340, y, { width: RIGHT - LEFT - 340, align: 'right' });
      doc.y = Math.max(labelBottom, doc.y) + 3;
    } else {
      doc.text(pdfText(label), LEFT, y, { width: VALUE_X - LEFT - 10 });
      const labelBottom = doc.y;
      doc.fillColor('#111827').text(pdfText(value), VALUE_X, y, { width: RIGHT - VALUE_X });
      doc.y = Math.max(labelBottom, doc.y) + 3;
    }
  });
}

/** The receipt as a PDF, in pdfkit's built-in Helvetica (no font files to ship). */
export function renderReceiptPdf(data: ReceiptData): Promise<Buffer> {
  const lines = receiptLines(data);
  const doc = new PDFDocument({
    size: 'A4',
    margin: LEFT,
    info: { Title: `${lines.title} ${data.number}`, Author: SELLER, Subject: 'Payment receipt' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(22).fillColor('#111827').text(SELLER, LEFT, LEFT);
  doc.font('Helvetica').fontSize(12).fillColor('#6b7280').text('Receipt');
  if (lines.banner) {
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).fillColor('#b91c1c').text(lines.banner, LEFT);
  }
  rows(doc, 'Details', lines.details, { alignValues: 'left' });
  rows(doc, 'Item', lines.items, { alignValues: 'right' });
  rows(doc, 'Total', lines.totals, { alignValues: 'right', boldLast: true });
  rows(doc, 'Refunds', lines.refunds, { alignValues: 'right' });
  rows(doc, 'References', lines.references, { alignValues: 'left' });
  doc
    .moveDown(2)
    .font('Helvetica')
    .fontSize(8)
    .fillColor('#6b7280')
    .text(`Issued by ${SELLER}. Payments are processed by Stripe.`, LEFT);

  doc.end();
  return done;
}
