import { describe, expect, it } from 'vitest';
import { invoiceSections, renderInvoicePdf, type InvoiceDocumentData } from './document';

const invoice = (overrides: Partial<InvoiceDocumentData> = {}): InvoiceDocumentData => ({
  number: 7,
  status: 'deposit_paid',
  currency: 'eur',
  taxRateBps: 825,
  dueDate: new Date('2026-12-15T00:00:00Z'),
  sentAt: new Date('2026-12-01T10:00:00Z'),
  notes: 'Bank details on request.',
  subtotal: 100000,
  tax: 8250,
  total: 108250,
  depositAmount: 32475,
  amountPaid: 32475,
  amountRefunded: 0,
  workspace: { name: 'Studio Zoë' },
  client: { name: 'Acme', email: 'ap@acme.test', address: '1 Main St' },
  lines: [
    { description: 'Design', quantity: 2, unitAmount: 40000, amount: 80000 },
    { description: 'Hosting', quantity: 1, unitAmount: 20000, amount: 20000 },
  ],
  payments: [
    { stage: 'deposit', amount: 32475, amountRefunded: 0, paidAt: new Date('2026-12-02T00:00:00Z') },
  ],
  ...overrides,
});

const rows = (data: InvoiceDocumentData, heading: string) =>
  invoiceSections(data).find((s) => s.heading === heading)?.rows;

describe('the invoice document', () => {
  it('says what the client owes: lines, tax, deposit, balance, what was paid and what is due now', () => {
    const data = invoice();
    expect(rows(data, 'Details')).toContainEqual(['Invoice number', 'INV-0007']);
    expect(rows(data, 'Details')).toContainEqual(['Status', 'Deposit paid']);
    expect(rows(data, 'Items')).toEqual([
      ['Design (2 × €400.00)', '€800.00'],
      ['Hosting', '€200.00'],
    ]);
    expect(rows(data, 'Total')).toEqual([
      ['Subtotal', '€1,000.00'],
      ['Tax (8.25%)', '€82.50'],
      ['Total', '€1,082.50'],
    ]);
    expect(rows(data, 'Payments')).toEqual([
      ['Deposit', '€324.75'],
      ['Balance', '€757.75'],
      ['Paid', '€324.75'],
      ['Due now', '€757.75'],
    ]);
  });

  it('a void invoice is due nothing, and refunds show', () => {
    expect(rows(invoice({ status: 'void', amountPaid: 0, payments: [] }), 'Payments')).toContainEqual([
      'Due now',
      '€0.00',
    ]);
    const refunded = invoice({ amountRefunded: 1000 });
    expect(rows(refunded, 'Payments')).toContainEqual(['Refunded', '-€10.00']);
  });

  it('renders a PDF', async () => {
    const pdf = await renderInvoicePdf(invoice());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
