import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { connectedWorkspace, paidDeposit } from '@/lib/testing/invoicing';
import { clientRefundSchema, refundClientPayment } from './refunds';

const input = (paymentId: string, amount: string, token: string) =>
  clientRefundSchema.parse({ paymentId, amount, reason: 'Client asked', token });

describe('refunds of client payments', () => {
  it('a double click makes one refund and one audit entry; the refunded amount shows at once', async () => {
    const { user, workspaceId, invoice, payment } = await paidDeposit();
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        refundClientPayment(workspaceId, user, input(payment.id, '50', `tok-${payment.id}`)),
      ),
    );
    expect(new Set(results.map((r) => r.refundId)).size).toBe(1);
    expect(results[0]).toMatchObject({ amount: 5000 });
    const audits = await db.auditLog.findMany({
      where: { action: 'client_refund.requested', targetId: invoice.id },
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: user.id, amount: 5000, reason: 'Client asked' });
    expect(await db.clientPayment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      amountRefunded: 5000,
    });
    expect(await db.clientInvoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      amountRefunded: 5000,
      status: 'deposit_paid',
    });
  });

  it('refuses more than is left, even from two forms at once, and the same token for another amount', async () => {
    const { user, workspaceId, payment } = await paidDeposit();
    // 132.00 paid: two forms of 100.00 at once; one succeeds, the other is told what is left.
    const settled = await Promise.allSettled([
      refundClientPayment(workspaceId, user, input(payment.id, '100', `a-${payment.id}`)),
      refundClientPayment(workspaceId, user, input(payment.id, '100', `b-${payment.id}`)),
    ]);
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = settled.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 400, publicMessage: 'At most $32.00 can be refunded.' });
    const usedToken = settled[0]!.status === 'fulfilled' ? `a-${payment.id}` : `b-${payment.id}`;
    await expect(
      refundClientPayment(workspaceId, user, input(payment.id, '10', usedToken)),
    ).rejects.toMatchObject({
      status: 400,
      publicMessage: 'This refund form was already used: reload the page to refund again.',
    });
    await refundClientPayment(workspaceId, user, input(payment.id, '32', `c-${payment.id}`));
    expect(await db.clientPayment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      amountRefunded: 13200,
    });
  });

  it('another workspace cannot refund the payment, and nothing changes', async () => {
    const { payment } = await paidDeposit();
    const other = await connectedWorkspace();
    await expect(
      refundClientPayment(other.workspaceId, other.user, input(payment.id, '10', `x-${payment.id}`)),
    ).rejects.toMatchObject({ status: 404 });
    expect(await db.clientPayment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      amountRefunded: 0,
    });
    expect(
      clientRefundSchema.safeParse({ paymentId: payment.id, amount: '0', reason: 'x', token: 'short' })
        .success,
    ).toBe(false);
  });
});
