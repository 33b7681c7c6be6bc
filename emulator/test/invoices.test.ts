import { describe, expect, it } from 'vitest';
import { expectEvents, settle, subscriber, harnessWithCatalog } from './billing-helpers';
import { stripeError, submitForm as submit } from './helpers';

const { h, plans } = harnessWithCatalog();

const card = (number: string) => ({
  cardNumber: number,
  cardExpiry: '12 / 40',
  cardCvc: '123',
  billingName: 'Ivy Invoice',
});

describe('the hosted invoice page', () => {
  it('shows an open invoice and takes a test card for it', async () => {
    const customer = await subscriber(h, { card: 'pm_card_chargeCustomerFail' });
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
    });
    const invoice = await h.stripe.invoices.retrieve(String(sub.latest_invoice));
    expect(invoice.hosted_invoice_url).toBe(`${h.emulator.url}/i/${invoice.id}`);
    await settle(h);
    const url = String(invoice.hosted_invoice_url);
    const open = await (await fetch(url)).text();
    expect(open).toContain(`Invoice ${String(invoice.number)}`);
    expect(open).toContain('1 × Pro (at $30.00 / month)');
    expect(open).toContain('data-testid="invoice-status">Open');
    expect(open).toContain('Pay $30.00');

    const declined = await submit(`${url}/pay`, card('4000 0000 0000 0002'));
    expect(declined.status).toBe(402);
    expect(declined.text).toContain('Your card was declined.');
    const paid = await submit(`${url}/pay`, card('4242 4242 4242 4242'));
    expect(paid).toMatchObject({ status: 303, location: `/i/${invoice.id}` });
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'paid',
      amount_paid: 3000,
      attempt_count: 3,
      next_payment_attempt: null,
    });
    expect((await h.stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
    const after = await (await fetch(url)).text();
    expect(after).toContain('data-testid="invoice-status">Paid');
    expect(after).toContain('View receipt');
    await expectEvents(h, [
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.updated',
    ]);
    // The payment of a subscription invoice refunds like any other.
    const [payment] = (await h.stripe.invoicePayments.list({ invoice: invoice.id })).data;
    const refund = await h.stripe.refunds.create({ payment_intent: String(payment?.payment.payment_intent) });
    expect(refund).toMatchObject({ status: 'succeeded', amount: 3000 });
  });

  it('sends 3-D Secure cards through the challenge and back', async () => {
    const customer = await subscriber(h, { card: 'pm_card_chargeCustomerFail' });
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.basic.id }],
    });
    const invoice = await h.stripe.invoices.retrieve(String(sub.latest_invoice));
    const challenge = await submit(`${String(invoice.hosted_invoice_url)}/pay`, card('4000 0025 0000 3155'));
    expect(challenge.location).toMatch(/\/3ds\/pi_/);
    const done = await submit(`${h.emulator.url}${String(challenge.location).replace(h.emulator.url, '')}`, {
      outcome: 'complete',
    });
    expect(done.location).toContain(`/i/${invoice.id}?payment_intent=`);
    expect((await h.stripe.invoices.retrieve(invoice.id)).status).toBe('paid');
  });

  it('is not served for drafts or unknown invoices', async () => {
    const customer = await subscriber(h);
    const draft = await h.stripe.invoices.create({ customer: customer.id });
    expect(draft.hosted_invoice_url).toBeNull();
    expect((await fetch(`${h.emulator.url}/i/${draft.id}`)).status).toBe(404);
    expect((await fetch(`${h.emulator.url}/i/in_missing`)).status).toBe(404);
  });
});

describe('the invoices API', () => {
  it('creates a manual invoice from pending items, finalizes, pays and lists it', async () => {
    const customer = await subscriber(h);
    const item = await h.stripe.invoiceItems.create({
      customer: customer.id,
      amount: 1500,
      currency: 'usd',
      description: 'Setup fee',
    });
    expect(item).toMatchObject({ object: 'invoiceitem', amount: 1500, invoice: null, proration: false });
    const draft = await h.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
      metadata: { order: '42' },
    });
    expect(draft).toMatchObject({
      status: 'draft',
      billing_reason: 'manual',
      total: 1500,
      number: null,
      metadata: { order: '42' },
    });
    expect((await h.stripe.invoices.listLineItems(draft.id)).data.map((l) => l.description)).toEqual([
      'Setup fee',
    ]);
    const open = await h.stripe.invoices.finalizeInvoice(draft.id, { auto_advance: false });
    expect(open).toMatchObject({ status: 'open', amount_due: 1500 });
    expect(open.number).toMatch(/-0001$/);
    const paid = await h.stripe.invoices.pay(open.id);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 1500 });
    expect(
      (await h.stripe.invoices.list({ customer: customer.id, status: 'paid' })).data.map((i) => i.id),
    ).toEqual([paid.id]);
    const [payment] = (await h.stripe.invoicePayments.list({ invoice: paid.id })).data;
    expect(await h.stripe.invoicePayments.retrieve(String(payment?.id))).toMatchObject({
      invoice: paid.id,
      status: 'paid',
      is_default: true,
    });
    expect(await stripeError(h.stripe.invoices.pay(paid.id))).toMatchObject({ statusCode: 400 });
  });

  it('voids and marks invoices uncollectible, and answers card errors on pay', async () => {
    const customer = await subscriber(h, { card: 'pm_card_chargeCustomerFail' });
    await h.stripe.invoiceItems.create({ customer: customer.id, amount: 700, currency: 'usd' });
    const a = await h.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    await h.stripe.invoices.finalizeInvoice(a.id);
    const declined = await stripeError(h.stripe.invoices.pay(a.id));
    expect(declined).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined' });
    expect(await h.stripe.invoices.markUncollectible(a.id)).toMatchObject({ status: 'uncollectible' });
    expect(await h.stripe.invoices.voidInvoice(a.id)).toMatchObject({ status: 'void' });
    expect(await stripeError(h.stripe.invoices.voidInvoice(a.id))).toMatchObject({ statusCode: 400 });
    const b = await h.stripe.invoices.create({ customer: customer.id });
    expect(await h.stripe.invoices.del(b.id)).toEqual({ id: b.id, object: 'invoice', deleted: true });
    await expectEvents(h, [
      'payment_method.attached',
      'customer.created',
      'invoiceitem.created',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'invoice.marked_uncollectible',
      'payment_intent.canceled',
      'invoice.voided',
      'invoice.deleted',
    ]);
  });
});
