// Contract: `invoice_pdf` is "the link to download the PDF for the invoice. If the invoice has not
// been finalized yet, this will be null." (https://docs.stripe.com/api/invoices/object#invoice_object-invoice_pdf)
import { describe, expect, it } from 'vitest';
import { subscriber, harnessWithCatalog } from './billing-helpers';
const { h, plans } = harnessWithCatalog();

describe('invoice_pdf', () => {
  it('is null on a draft and a real PDF once finalized', async () => {
    const customer = await subscriber(h, { email: 'pdf@example.com' });
    const draft = await h.stripe.invoices.create({ customer: customer.id, auto_advance: false });
    expect(draft.invoice_pdf).toBeNull();
    expect((await fetch(`${h.emulator.url}/invoice_pdf/${draft.id}`)).status).toBe(404);

    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
    });
    const invoice = await h.stripe.invoices.retrieve(String(sub.latest_invoice));
    expect(invoice.invoice_pdf).toBe(`${h.emulator.url}/invoice_pdf/${invoice.id}`);
    const response = await fetch(String(invoice.invoice_pdf));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer()).toString('latin1');
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    // The cross-reference table sits where startxref says, and each object where the table says.
    const startxref = Number(/startxref\n(\d+)\n/.exec(pdf)?.[1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
    const offsets = [...pdf.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((offset, i) => expect(pdf.slice(offset).startsWith(`${i + 1} 0 obj`)).toBe(true));
    for (const text of [
      String(invoice.number),
      'pdf@example.com',
      '$30.00',
      '1 x Pro \\(at $30.00 / month\\)',
    ])
      expect(pdf).toContain(text);
  });
});
