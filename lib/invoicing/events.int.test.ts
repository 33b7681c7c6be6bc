import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { shuffle } from '@/lib/testing/fixtures';
import { connectedWorkspace, draftInvoice, paidDeposit, payInvoice } from '@/lib/testing/invoicing';
import { applyInvoicingEvent } from './events';
import { CLIENT_UPSTREAM, checkoutUrlFor } from './pay';
import { sendInvoice } from './service';

async function sentInvoice(overrides: Record<string, unknown> = {}) {
  const ws = await connectedWorkspace();
  const { id } = await draftInvoice(ws.workspaceId, ws.client.id, overrides);
  await sendInvoice(ws.workspaceId, id);
  const invoice = await db.clientInvoice.findUniqueOrThrow({ where: { id } });
  return { ...ws, invoice };
}

const stateOf = (id: string) =>
  db.clientInvoice.findUniqueOrThrow({
    where: { id },
    select: { status: true, amountPaid: true, amountRefunded: true, paidAt: true },
  });

describe('client invoice payments (webhook-driven)', () => {
  it('the pay link collects the deposit, then the balance; the redirect changes nothing, the events do', async () => {
    const { workspaceId, invoice } = await sentInvoice();
    const deposit = await payInvoice(workspaceId, invoice.payToken);
    expect(deposit.result.status).toBe('complete');
    // Paid at Stripe, but no event applied yet: still awaiting payment.
    expect((await stateOf(invoice.id)).status).toBe('sent');
    expect(deposit.events.map((e) => e.type)).toContain('checkout.session.completed');
    // Shuffled and each delivered twice: one payment, deposit paid.
    const events = shuffle([...deposit.events, ...deposit.events]);
    for (const event of events) await applyInvoicingEvent(event, workspaceId);
    expect(await stateOf(invoice.id)).toMatchObject({ status: 'deposit_paid', amountPaid: 13200 });
    const payments = await db.clientPayment.findMany({ where: { invoiceId: invoice.id } });
    expect(payments.map((p) => [p.stage, p.amount])).toEqual([['deposit', 13200]]);

    const balance = await payInvoice(workspaceId, invoice.payToken);
    expect(balance.sessionId).not.toBe(deposit.sessionId);
    await Promise.all(
      shuffle([...balance.events, ...balance.events]).map((e) => applyInvoicingEvent(e, workspaceId)),
    );
    const paid = await stateOf(invoice.id);
    expect(paid).toMatchObject({ status: 'paid', amountPaid: 44000 });
    expect(paid.paidAt).not.toBeNull();
    const stages = (
      await db.clientPayment.findMany({ where: { invoiceId: invoice.id }, orderBy: { paidAt: 'asc' } })
    ).map((p) => [p.stage, p.amount]);
    expect(stages).toEqual([
      ['deposit', 13200],
      ['balance', 30800],
    ]);
    // Nothing more is due: the link says so instead of opening a session.
    await expect(checkoutUrlFor(invoice.payToken)).rejects.toMatchObject({ status: 409 });
  });

  it('concurrent clicks on the link open one session, reused until paid', async () => {
    const { invoice } = await sentInvoice();
    const urls = await Promise.all([1, 2, 3, 4, 5].map(() => checkoutUrlFor(invoice.payToken)));
    expect(new Set(urls).size).toBe(1);
    expect(await checkoutUrlFor(invoice.payToken)).toBe(urls[0]);
    const row = await db.clientInvoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(row.checkoutStage).toBe('deposit');
    expect(urls[0]).toContain(row.checkoutSessionId!);
  });

  it('an invoice without a deposit is paid in one payment', async () => {
    const { workspaceId, invoice } = await sentInvoice({ depositKind: 'none' });
    const { events } = await payInvoice(workspaceId, invoice.payToken);
    for (const event of events.reverse()) await applyInvoicingEvent(event, workspaceId);
    expect(await stateOf(invoice.id)).toMatchObject({ status: 'paid', amountPaid: 44000 });
  });

  it("another workspace's events never touch the invoice", async () => {
    const { workspaceId, invoice } = await sentInvoice();
    const other = await connectedWorkspace();
    const { events } = await payInvoice(workspaceId, invoice.payToken);
    for (const event of events)
      expect(await applyInvoicingEvent(event, other.workspaceId)).toMatch(/^ignored/);
    expect(await stateOf(invoice.id)).toMatchObject({ status: 'sent', amountPaid: 0 });
    expect(await db.clientPayment.count({ where: { invoiceId: invoice.id } })).toBe(0);
  });

  it('an expired session is replaced by a new one on the next click', async () => {
    const { workspaceId, invoice } = await sentInvoice();
    const first = await checkoutUrlFor(invoice.payToken);
    const { checkoutSessionId } = await db.clientInvoice.findUniqueOrThrow({ where: { id: invoice.id } });
    const { stripeFor } = await import('@/lib/billing/connections');
    const { stripe } = await stripeFor(workspaceId);
    const expired = await stripe.checkout.sessions.expire(checkoutSessionId!);
    const event = { id: 'evt_x', type: 'checkout.session.expired', data: { object: expired } } as never;
    expect(await applyInvoicingEvent(event, workspaceId)).toContain('expired');
    const second = await checkoutUrlFor(invoice.payToken);
    expect(second).not.toBe(first);
  });
});

describe('the workspace account', () => {
  it('through Connect (Stripe-Account), the payment lands on the connected account', async () => {
    const { invoice, payment } = await paidDeposit({ via: 'connect' });
    expect(await stateOf(invoice.id)).toMatchObject({ status: 'deposit_paid', amountPaid: 13200 });
    // The platform's own account never saw the payment.
    const { stripe } = await import('@/lib/billing/stripe');
    await expect(stripe().paymentIntents.retrieve(payment.paymentIntentId)).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('through Connect with a fee percent, the operator takes its application fee; a refund gives it back in proportion', async () => {
    const { payment, ...ws } = await paidDeposit({ via: 'connect', feePercent: 10 });
    // 10% of the $132.00 deposit.
    expect(payment).toMatchObject({ amount: 13200, applicationFee: 1320 });
    const { stripe } = await import('@/lib/billing/stripe');
    const connection = await db.stripeConnection.findUniqueOrThrow({
      where: { workspaceId: ws.workspaceId },
    });
    // The fee object lives on the platform, naming the connected account.
    const feeOfAccount = async () =>
      (await stripe().applicationFees.list({ limit: 100 })).data.find(
        (f) => (typeof f.account === 'string' ? f.account : f.account.id) === connection.accountId,
      );
    expect(await feeOfAccount()).toMatchObject({ amount: 1320, amount_refunded: 0 });
    const { refundClientPayment, clientRefundSchema } = await import('./refunds');
    await refundClientPayment(
      ws.workspaceId,
      ws.user,
      clientRefundSchema.parse({
        paymentId: payment.id,
        amount: '66',
        reason: 'Half back',
        token: `fee-${payment.id}`,
      }),
    );
    expect(await feeOfAccount()).toMatchObject({ amount: 1320, amount_refunded: 660 });
  });

  it('a key revoked before the client pays: a clear message for the client and the workspace, nothing changes', async () => {
    const ws = await connectedWorkspace();
    const { id } = await draftInvoice(ws.workspaceId, ws.client.id);
    await sendInvoice(ws.workspaceId, id);
    const before = await db.clientInvoice.findUniqueOrThrow({ where: { id } });
    const { stripeFor } = await import('@/lib/billing/connections');
    const { decryptSecret } = await import('@/lib/crypto/secrets');
    const { keyContext } = await import('@/lib/billing/connections');
    const row = await db.stripeConnection.findUniqueOrThrow({ where: { workspaceId: ws.workspaceId } });
    const key = decryptSecret(row.restrictedKeyCipher!, keyContext(ws.workspaceId));
    await fetch(`${process.env.STRIPE_API_URL}/_emulator/keys/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key }),
    });
    await expect(checkoutUrlFor(before.payToken)).rejects.toMatchObject({
      status: 502,
      publicMessage: CLIENT_UPSTREAM,
    });
    // The workspace is told why when it acts (here, a refund's call to Stripe).
    const { stripeFor: resolve } = await import('@/lib/billing/connections');
    const { toBillingError } = await import('@/lib/billing/stripe');
    const { stripe: client } = await resolve(ws.workspaceId);
    const upstream = await client.checkout.sessions
      .list({ limit: 1 })
      .catch((error: unknown) => toBillingError(error));
    expect(upstream).toMatchObject({
      status: 502,
      publicMessage: expect.stringContaining('its key was revoked'),
    });
    expect(await db.clientInvoice.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect((await stripeFor(ws.workspaceId)).account.via).toBe('key');
  });

  it('a disconnected account: the pay page says it cannot be paid online (503) and changes nothing', async () => {
    const ws = await connectedWorkspace();
    const { id } = await draftInvoice(ws.workspaceId, ws.client.id);
    await sendInvoice(ws.workspaceId, id);
    const before = await db.clientInvoice.findUniqueOrThrow({ where: { id } });
    await db.stripeConnection.update({
      where: { workspaceId: ws.workspaceId },
      data: { status: 'disconnected' },
    });
    await expect(checkoutUrlFor(before.payToken)).rejects.toMatchObject({
      status: 503,
      publicMessage: 'This invoice cannot be paid online right now. Please contact the sender.',
    });
    expect(await db.clientInvoice.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });
});
