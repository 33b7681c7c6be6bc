import type { Emulator } from '../emulator';
import type { InvoiceObject } from '../types';
import { formatAmount } from '../values';
import { formatDate } from '../billing/time';
import { html } from '../router';
import { layout } from './layout';

/** PDF text: ASCII only (the standard Helvetica font), with PDF string escapes. */
function pdfText(text: string): string {
  return text
    .normalize('NFKD')
    .replaceAll('\u00d7', 'x')
    .replaceAll(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/([\\()])/g, '\\$1');
}

/**
 * A one-page PDF of a finalized invoice, written by hand (objects, cross-reference table and
 * trailer with exact byte offsets), so any PDF reader opens it.
 */
export function invoicePdf(invoice: InvoiceObject): string {
  const money = (amount: number) => formatAmount(amount, invoice.currency).replace(/[^\x20-\x7e]/g, '');
  const rows: Array<[string, string]> = [
    ['Invoice number', invoice.number ?? invoice.id],
    ['Date of issue', formatDate(invoice.status_transitions.finalized_at ?? invoice.created)],
    ['Billed to', invoice.customer_email ?? invoice.customer_name ?? String(invoice.customer)],
    ['Status', invoice.status ?? ''],
  ];
  const lines: Array<[string, string]> = invoice.lines.data.map((line) => [
    (line.description ?? '').slice(0, 70),
    money(line.amount),
  ]);
  const totals: Array<[string, string]> = [
    ['Subtotal', money(invoice.subtotal)],
    ['Total', money(invoice.total)],
    ['Amount due', money(invoice.amount_due)],
    ['Amount paid', money(invoice.amount_paid)],
  ];
  let y = 740;
  const ops: string[] = ['BT', '/F1 20 Tf', `50 ${y} Td`, `(${pdfText('Invoice')}) Tj`, 'ET'];
  const row = (left: string, right: string, size = 11) => {
    y -= size + 8;
    ops.push('BT', `/F1 ${size} Tf`, `50 ${y} Td`, `(${pdfText(left)}) Tj`, 'ET');
    ops.push('BT', `/F1 ${size} Tf`, `420 ${y} Td`, `(${pdfText(right)}) Tj`, 'ET');
  };
  y -= 12;
  for (const [left, right] of rows) row(left, right);
  y -= 16;
  row('Description', 'Amount', 12);
  for (const [left, right] of lines) row(left, right);
  y -= 10;
  for (const [left, right] of totals) row(left, right);
  const content = ops.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return pdf;
}

export function registerInvoicePdf(emu: Emulator): void {
  emu.pages.add({
    method: 'GET',
    path: '/invoice_pdf/:id',
    handler: (call) => {
      const invoice = emu.store.objects.invoice.get(call.params.id ?? '');
      if (!invoice || invoice.status === 'draft')
        return html(layout('Not found', '<h1>No such invoice</h1>'), 404);
      return {
        status: 200,
        body: invoicePdf(invoice),
        headers: {
          'Content-Type': 'application/pdf',
          'Content-Disposition': `inline; filename="${invoice.number ?? invoice.id}.pdf"`,
        },
      };
    },
  });
}
