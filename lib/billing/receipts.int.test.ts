import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import type { PaymentStatus } from '@/lib/generated/prisma/enums';
import { createUser } from '@/lib/testing/fixtures';
import { pdfText, receiptFor, receiptLines, renderReceiptPdf, type ReceiptData } from './receipts';

const paidAt = new Date('2026-03-12T15:30:00Z');

type PaymentOverrides = {
  status?: PaymentStatus;
  completedAt?: Date | null;
  amountRefunded?: number;
  sample?: boolean;
};

/** A completed credit purchase the user bought for their personal workspace. */
async function completedPayment(
  payer: { id: string; workspaceId: string },
  overrides: PaymentOverrides = {},
) {
  const suffix = randomUUID().replaceAll('-', '').slice(0, 16);
  return db.payment.create({
    data: {
      workspaceId: payer.workspaceId,
      buyerId: payer.id,
      kind: 'credits',
      status: 'completed',
      amount: 5000,
      currency: 'usd',
      credits: 5000,
      description: '5,000 credits',
      completedAt: paidAt,
      paymentIntentId: `pi_${suffix}`,
      chargeId: `ch_${suffix}`,
      ...overrides,
    },
  });
}

function receipt(overrides: Partial<ReceiptData> = {}): ReceiptData {
  return {
    number: 'TG-CPAY123',
    paymentId: 'cpay123',
    kind: 'credits',
    status: 'completed',
    paidAt,
    billedTo: { email: 'ada@example.com', name: 'Ada Lovelace' },
    description: '5,000 credits',
    credits: 5000,
    amount: 5000,
    currency: 'usd',
    amountRefunded: 0,
    refunds: [],
    stripe: { invoiceId: null, paymentIntentId: 'pi_123', chargeId: 'ch_123' },
    sample: false,
    ...overrides,
  };
}

describe('receiptFor', () => {
  it('gives the payer and staff the receipt of a completed payment', async () => {
    const payer = await createUser();
    const payment = await completedPayment(payer);
    for (const viewer of [
      payer,
      await createUser({ role: 'admin' }),
      await createUser({ role: 'finance' }),
    ]) {
      const data = await receiptFor(payment.id, viewer);
      expect(data).toMatchObject({
        paymentId: payment.id,
        amount: 5000,
        billedTo: { email: payer.email },
        paidAt,
      });
      expect(data!.number).toBe(`TG-${payment.id.toUpperCase()}`);
      const pdf = await renderReceiptPdf(data!);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    }
  });

  it("treats another user's payment, a pending payment and an unknown id alike: null", async () => {
    const payer = await createUser();
    const stranger = await createUser();
    const payment = await completedPayment(payer);
    const pending = await completedPayment(payer, { status: 'pending', completedAt: null });
    expect(await receiptFor(payment.id, stranger)).toBeNull();
    expect(await receiptFor(pending.id, payer)).toBeNull();
    expect(await receiptFor(pending.id, await createUser({ role: 'admin' }))).toBeNull();
    expect(await receiptFor('does-not-exist', payer)).toBeNull();
  });

  it("shows Stripe's refunded total and the refund rows of a partially refunded payment", async () => {
    const payer = await createUser();
    const payment = await completedPayment(payer, {
      status: 'partially_refunded',
      amountRefunded: 1500,
      sample: true,
    });
    await db.refund.create({
      data: {
        id: `re_${randomUUID()}`,
        paymentId: payment.id,
        amount: 1500,
        currency: 'usd',
        status: 'succeeded',
        stripeCreated: new Date('2026-03-20T09:00:00Z'),
        lastEventAt: paidAt,
      },
    });
    const data = await receiptFor(payment.id, payer);
    expect(data).toMatchObject({
      amountRefunded: 1500,
      sample: true,
      refunds: [{ amount: 1500, status: 'succeeded' }],
    });
    expect(receiptLines(data!).refunds).toEqual([['Refund on Mar 20, 2026 (succeeded)', '$15.00']]);
    const lines = receiptLines(data!);
    expect(lines.totals).toEqual([
      ['Amount paid', '$50.00'],
      ['Refunded', '-$15.00'],
      ['Net paid', '$35.00'],
    ]);
    expect(lines.banner).toContain('SAMPLE DATA');
    expect((await renderReceiptPdf(data!)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe('receiptLines', () => {
  it('reads like a receipt: seller, number, date, payer, item with credits, amount, status, Stripe ids', () => {
    const lines = receiptLines(receipt());
    expect(lines.title).toBe('Tollgate receipt');
    expect(lines.banner).toBeNull();
    expect(lines.details).toEqual([
      ['Receipt number', 'TG-CPAY123'],
      ['Date paid', 'Mar 12, 2026'],
      ['Billed to', 'Ada Lovelace <ada@example.com>'],
      ['Status', 'Paid'],
    ]);
    expect(lines.items).toEqual([
      ['5,000 credits', '$50.00'],
      ['Credits added to your balance', '5,000'],
    ]);
    expect(lines.totals).toEqual([['Amount paid', '$50.00']]);
    expect(lines.refunds).toEqual([]);
    expect(lines.references).toEqual([
      ['Payment ID', 'cpay123'],
      ['Stripe payment intent', 'pi_123'],
      ['Stripe charge', 'ch_123'],
    ]);
  });

  it('shows a subscription invoice without credits, and the payer by email when unnamed', () => {
    const lines = receiptLines(
      receipt({
        kind: 'subscription',
        description: null,
        credits: 0,
        amount: 2900,
        billedTo: { email: 'bo@example.com', name: null },
        stripe: { invoiceId: 'in_1', paymentIntentId: null, chargeId: null },
      }),
    );
    expect(lines.items).toEqual([['Subscription', '$29.00']]);
    expect(lines.details).toContainEqual(['Billed to', 'bo@example.com']);
    expect(lines.references).toEqual([
      ['Payment ID', 'cpay123'],
      ['Stripe invoice', 'in_1'],
    ]);
  });

  it('nets a full refund to zero and lists each refund with its status', () => {
    const lines = receiptLines(
      receipt({
        status: 'refunded',
        amountRefunded: 5000,
        refunds: [
          { amount: 2000, status: 'succeeded', refundedAt: new Date('2026-03-13T00:00:00Z') },
          { amount: 3000, status: 'succeeded', refundedAt: new Date('2026-03-14T00:00:00Z') },
        ],
      }),
    );
    expect(lines.details).toContainEqual(['Status', 'Refunded']);
    expect(lines.totals).toEqual([
      ['Amount paid', '$50.00'],
      ['Refunded', '-$50.00'],
      ['Net paid', '$0.00'],
    ]);
    expect(lines.refunds).toEqual([
      ['Refund on Mar 13, 2026 (succeeded)', '$20.00'],
      ['Refund on Mar 14, 2026 (succeeded)', '$30.00'],
    ]);
  });

  it('formats other currencies with their symbol', () => {
    expect(receiptLines(receipt({ currency: 'eur', amount: 1234 })).totals).toEqual([
      ['Amount paid', '€12.34'],
    ]);
  });
});

describe('pdfText', () => {
  it('keeps what Helvetica can print (accents, curly quotes, euro) and shows the rest as ?', () => {
    expect(pdfText('Zoë “Q” Ångström €5 – ok')).toBe('Zoë “Q” Ångström €5 – ok');
    expect(pdfText('李小龍 ✓')).toBe('??? ?');
  });
});
