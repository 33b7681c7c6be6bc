import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { draftInvoice, connectedWorkspace, invoiceInput } from '@/lib/testing/invoicing';
import { invoiceFormSchema } from './inputs';
import { createInvoice, invoiceByToken, invoiceOf, sendInvoice, updateDraft, voidInvoice } from './service';

describe('client invoices', () => {
  it('numbers each workspace 1, 2, 3… with no gap and no repeat under 30 concurrent creations', async () => {
    const a = await connectedWorkspace();
    const b = await connectedWorkspace();
    const created = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0 ? draftInvoice(b.workspaceId, b.client.id) : draftInvoice(a.workspaceId, a.client.id),
      ),
    );
    expect(created).toHaveLength(30);
    for (const [workspaceId, count] of [
      [a.workspaceId, 20],
      [b.workspaceId, 10],
    ] as const) {
      const numbers = (await db.clientInvoice.findMany({ where: { workspaceId }, select: { number: true } }))
        .map((row) => row.number)
        .sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    }
  });

  it('a creation refused for bad input takes no number', async () => {
    const { workspaceId, client } = await connectedWorkspace();
    const other = await connectedWorkspace();
    await draftInvoice(workspaceId, client.id);
    // Another workspace's client: refused, and the next number is still 2.
    await expect(draftInvoice(workspaceId, other.client.id)).rejects.toMatchObject({
      status: 400,
      publicMessage: 'Choose one of your clients.',
    });
    await expect(
      draftInvoice(workspaceId, client.id, { depositKind: 'amount', depositValue: '440' }),
    ).rejects.toMatchObject({
      status: 400,
      publicMessage: 'The deposit must be less than the invoice total.',
    });
    expect((await draftInvoice(workspaceId, client.id)).number).toBe(2);
  });

  it('stores the totals, the deposit and the lines in minor units', async () => {
    const { workspaceId, client } = await connectedWorkspace();
    const { id } = await draftInvoice(workspaceId, client.id);
    const invoice = await invoiceOf(workspaceId, id);
    expect(invoice).toMatchObject({
      status: 'draft',
      subtotal: 40000,
      tax: 4000,
      total: 44000,
      depositAmount: 13200,
      taxRateBps: 1000,
    });
    expect(invoice!.lines.map((l) => [l.description, l.amount])).toEqual([
      ['Design', 30000],
      ['Hosting', 10000],
    ]);
    expect(invoice!.payToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('edits a draft only; another workspace cannot see or touch it', async () => {
    const { workspaceId, client } = await connectedWorkspace();
    const other = await connectedWorkspace();
    const { id } = await draftInvoice(workspaceId, client.id);
    await updateDraft(workspaceId, id, invoiceInput(client.id, { taxRate: '', depositKind: 'none' }));
    expect(await invoiceOf(workspaceId, id)).toMatchObject({ total: 40000, depositAmount: 0, tax: 0 });
    expect(await invoiceOf(other.workspaceId, id)).toBeNull();
    await expect(sendInvoice(other.workspaceId, id)).rejects.toMatchObject({ status: 404 });
    await expect(updateDraft(other.workspaceId, id, invoiceInput(client.id))).rejects.toMatchObject({
      status: 404,
    });
    await sendInvoice(workspaceId, id);
    await expect(updateDraft(workspaceId, id, invoiceInput(client.id))).rejects.toMatchObject({
      status: 409,
      publicMessage: 'Only a draft can be edited.',
    });
  });

  it('sending twice at once queues one email with the pay link and the PDF attached', async () => {
    const { workspaceId, client } = await connectedWorkspace();
    const { id } = await draftInvoice(workspaceId, client.id);
    const results = await Promise.all([1, 2, 3].map(() => sendInvoice(workspaceId, id)));
    expect(results.filter((r) => r === 'sent')).toHaveLength(1);
    const invoice = await invoiceOf(workspaceId, id);
    expect(invoice).toMatchObject({ status: 'sent' });
    const emails = await db.email.findMany({ where: { to: client.email } });
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe('Invoice INV-0001 from “Test”'.replace('Test', invoice!.workspace.name));
    expect(emails[0]!.text).toContain(`/pay/${invoice!.payToken}`);
    expect(emails[0]!.text).toContain('A deposit of $132.00 is due now');
    expect(emails[0]!.attachClientInvoiceId).toBe(id);
    expect(await invoiceByToken(invoice!.payToken)).not.toBeNull();
  });

  it('a draft or a void invoice has no public page', async () => {
    const { workspaceId, client } = await connectedWorkspace();
    const { id } = await draftInvoice(workspaceId, client.id);
    const { payToken } = await db.clientInvoice.findUniqueOrThrow({ where: { id } });
    expect(await invoiceByToken(payToken)).toBeNull();
    await sendInvoice(workspaceId, id);
    expect(await invoiceByToken(payToken)).not.toBeNull();
    await voidInvoice(workspaceId, id);
    expect(await invoiceByToken(payToken)).toBeNull();
    await expect(sendInvoice(workspaceId, id)).rejects.toMatchObject({ status: 409 });
    expect(await invoiceByToken('x'.repeat(43))).toBeNull();
  });

  it('the form schema reads the editor rows, skipping blank ones, and refuses bad figures with a message', async () => {
    const { client } = await connectedWorkspace();
    const form = {
      clientId: client.id,
      currency: 'eur',
      dueDate: '2027-01-31',
      taxRate: '8.25',
      depositKind: 'amount',
      depositValue: '1,000.5',
      notes: '',
      'lines.0.description': 'Work',
      'lines.0.quantity': '3',
      'lines.0.unitAmount': '1,200.10',
      'lines.1.description': '',
      'lines.1.quantity': '1',
      'lines.1.unitAmount': '',
    };
    const parsed = invoiceFormSchema.parse(form);
    expect(parsed.lines).toEqual([{ description: 'Work', quantity: 3, unitAmount: 120010 }]);
    expect(parsed).toMatchObject({ taxRate: 825, deposit: { kind: 'amount', value: 100050 }, notes: null });
    const bad = invoiceFormSchema.safeParse({ ...form, 'lines.0.unitAmount': '12.345' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toContain('Unit price');
    expect(invoiceFormSchema.safeParse({ ...form, taxRate: '101' }).success).toBe(false);
    expect(
      invoiceFormSchema.safeParse({ ...form, depositKind: 'percent', depositValue: '100' }).success,
    ).toBe(false);
    expect(
      invoiceFormSchema.safeParse({ ...form, 'lines.0.description': '', 'lines.0.unitAmount': '' }).success,
    ).toBe(false);
  });

  it('creates a big invoice near the Stripe maximum and refuses one above it', async () => {
    const { workspaceId, client } = await connectedWorkspace();
    const lines = [{ description: 'Big', quantity: '1', unitAmount: '999999.99' }];
    await expect(
      createInvoice(workspaceId, invoiceInput(client.id, { lines, taxRate: '', depositKind: 'none' })),
    ).resolves.toMatchObject({ number: 1 });
    await expect(
      createInvoice(workspaceId, invoiceInput(client.id, { lines, taxRate: '1', depositKind: 'none' })),
    ).rejects.toMatchObject({ status: 400 });
  });
});
