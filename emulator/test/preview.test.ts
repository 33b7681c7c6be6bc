// Contract: https://docs.stripe.com/api/invoices/create_preview and
// https://docs.stripe.com/billing/subscriptions/prorations#preview-proration
import { describe, expect, it } from 'vitest';
import {
  DAY,
  expectEvents,
  period,
  settle,
  subscriber,
  basicTenDaysIn,
  CHARGE,
  CREDIT,
  harnessWithCatalog,
} from './billing-helpers';
import { stripeError } from './helpers';

const { h, plans } = harnessWithCatalog();

const tenDaysIn = () => basicTenDaysIn(h, plans);

describe('invoices.createPreview (docs.stripe.com/api/invoices/create_preview)', () => {
  it('previews the next renewal of a subscription as it stands', async () => {
    const { sub, customer, end } = await tenDaysIn();
    const preview = await h.stripe.invoices.createPreview({ subscription: sub.id });
    expect(preview.id).toMatch(/^upcoming_in_/);
    expect(preview).toMatchObject({
      object: 'invoice',
      customer: customer.id,
      status: 'draft',
      billing_reason: 'upcoming',
      amount_due: 1000,
      total: 1000,
      period_start: period(sub).start,
      period_end: end,
      next_payment_attempt: end,
    });
    expect(preview.lines.data.map((l) => [l.amount, l.description])).toEqual([
      [1000, '1 × Basic (at $10.00 / month)'],
    ]);
  });

  it('previews a same-interval switch: prorations on the next invoice, which the update then matches (prorations#preview-proration)', async () => {
    const { sub, item, now, end } = await tenDaysIn();
    const prorationDate = now - 3600; // a quote shown an hour ago is honoured exactly
    const preview = await h.stripe.invoices.createPreview({
      customer: String(sub.customer),
      subscription: sub.id,
      subscription_details: {
        items: [{ id: item.id, price: plans.pro.id }],
        proration_date: prorationDate,
      },
    });
    const credit = -Math.round((1000 * (end - prorationDate)) / (end - period(sub).start));
    const charge = Math.round((3000 * (end - prorationDate)) / (end - period(sub).start));
    // "consider line items where parent.subscription_item_details.proration is true"
    const prorations = preview.lines.data.filter(
      (l) => l.parent?.subscription_item_details?.proration === true,
    );
    expect(prorations.map((l) => [l.amount, l.period.start])).toEqual([
      [credit, prorationDate],
      [charge, prorationDate],
    ]);
    expect(preview.amount_due).toBe(3000 + credit + charge);
    expect(preview.parent?.subscription_details?.subscription_proration_date).toBe(prorationDate);

    // Nothing was stored or announced by the preview.
    await expectEvents(h, []);
    expect((await h.stripe.invoiceItems.list({ customer: String(sub.customer) })).data).toEqual([]);
    expect((await h.stripe.subscriptions.retrieve(sub.id)).items.data[0]?.price.id).toBe(plans.basic.id);
    const invoices = await h.stripe.invoices.list({ customer: String(sub.customer) });
    expect(invoices.data.map((i) => i.id)).not.toContain(preview.id);
    expect((await stripeError(h.stripe.invoices.retrieve(preview.id))).statusCode).toBe(404);

    // The update with the same proration_date bills exactly what was previewed.
    await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, price: plans.pro.id }],
      proration_date: prorationDate,
    });
    const pending = await h.stripe.invoiceItems.list({ customer: String(sub.customer), pending: true });
    expect(pending.data.map((i) => i.amount).sort((a, b) => a - b)).toEqual([credit, charge]);
    const next = await h.stripe.invoices.createPreview({ subscription: sub.id });
    expect(next.amount_due).toBe(preview.amount_due);
  });

  it('previews always_invoice as the invoice billed now', async () => {
    const { sub, item, now } = await tenDaysIn();
    const preview = await h.stripe.invoices.createPreview({
      subscription: sub.id,
      subscription_details: {
        items: [{ id: item.id, price: plans.pro.id }],
        proration_behavior: 'always_invoice',
        proration_date: now,
      },
    });
    expect(preview).toMatchObject({ billing_reason: 'subscription_update', amount_due: CREDIT + CHARGE });
    expect(preview.lines.data.map((l) => l.amount)).toEqual([CREDIT, CHARGE]);
    const updated = await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, price: plans.pro.id }],
      proration_behavior: 'always_invoice',
      proration_date: now,
    });
    const invoice = await h.stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice.amount_paid).toBe(preview.amount_due);
  });

  it('previews a switch to another interval: a new period billed now, less the unused time', async () => {
    const { sub, item, now } = await tenDaysIn();
    const preview = await h.stripe.invoices.createPreview({
      subscription: sub.id,
      subscription_details: { items: [{ id: item.id, price: plans.proYearly.id }], proration_date: now },
    });
    expect(preview.billing_reason).toBe('subscription_update');
    expect(preview.amount_due).toBe(30000 + CREDIT);
  });

  it('previews no prorations with proration_behavior none', async () => {
    const { sub, item } = await tenDaysIn();
    const preview = await h.stripe.invoices.createPreview({
      subscription: sub.id,
      subscription_details: { items: [{ id: item.id, price: plans.pro.id }], proration_behavior: 'none' },
    });
    expect(preview.lines.data.map((l) => l.amount)).toEqual([3000]);
  });

  it('answers Stripe errors for bad requests', async () => {
    const { sub, customer } = await tenDaysIn();
    const missing = await stripeError(h.stripe.invoices.createPreview({}));
    expect(missing).toMatchObject({ statusCode: 400, code: 'parameter_missing' });
    const unknown = await stripeError(h.stripe.invoices.createPreview({ subscription: 'sub_nope' }));
    expect(unknown).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'subscription' });
    const other = await h.stripe.customers.create({ email: 'other@example.com' });
    const mismatch = await stripeError(
      h.stripe.invoices.createPreview({ customer: other.id, subscription: sub.id }),
    );
    expect(mismatch).toMatchObject({ statusCode: 400, param: 'subscription' });
    const none = await stripeError(h.stripe.invoices.createPreview({ customer: other.id }));
    expect(none).toMatchObject({ statusCode: 404, code: 'invoice_upcoming_none' });
    await h.stripe.subscriptions.cancel(sub.id);
    const canceled = await stripeError(
      h.stripe.invoices.createPreview({ customer: customer.id, subscription: sub.id }),
    );
    expect(canceled).toMatchObject({ statusCode: 404, code: 'invoice_upcoming_none' });
  });
});

// "You can also preview the effects of creating or updating a subscription"
// (https://docs.stripe.com/api/invoices/create_preview): customer + subscription_details.items.
describe('invoices.createPreview for a new subscription', () => {
  it('previews the first invoice of subscribing now, which subscriptions.create then bills', async () => {
    const customer = await subscriber(h, { email: 'new@example.com' });
    await settle(h);
    const preview = await h.stripe.invoices.createPreview({
      customer: customer.id,
      subscription_details: { items: [{ price: plans.pro.id, quantity: 2 }] },
    });
    expect(preview.id).toMatch(/^upcoming_in_/);
    expect(preview).toMatchObject({
      object: 'invoice',
      customer: customer.id,
      status: 'draft',
      billing_reason: 'subscription_create',
      amount_due: 6000,
      total: 6000,
      parent: null,
    });
    expect(preview.lines.data.map((l) => [l.amount, l.description])).toEqual([
      [6000, '2 × Pro (at $30.00 / month)'],
    ]);
    const line = preview.lines.data[0];
    expect((line?.period.end ?? 0) - (line?.period.start ?? 0)).toBeGreaterThanOrEqual(28 * DAY);

    // Nothing was created or announced.
    await expectEvents(h, []);
    expect((await h.stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toEqual([]);
    expect((await h.stripe.invoices.list({ customer: customer.id })).data).toEqual([]);

    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id, quantity: 2 }],
      expand: ['latest_invoice'],
    });
    expect(sub.latest_invoice).toMatchObject({ amount_paid: preview.amount_due });
  });

  it('previews a $0 trial invoice with subscription_details.trial_end', async () => {
    const customer = await subscriber(h, { email: 'trial@example.com' });
    const trialEnd = Math.floor(Date.now() / 1000) + 14 * DAY;
    const preview = await h.stripe.invoices.createPreview({
      customer: customer.id,
      subscription_details: { items: [{ price: plans.basic.id }], trial_end: trialEnd },
    });
    expect(preview.amount_due).toBe(0);
    expect(preview.lines.data.map((l) => l.description)).toEqual(['Trial period for Basic']);
  });

  it('refuses items that name existing items, mixed intervals, and trial_end on an existing subscription', async () => {
    const customer = await subscriber(h, { email: 'bad@example.com' });
    const withId = await stripeError(
      h.stripe.invoices.createPreview({
        customer: customer.id,
        subscription_details: { items: [{ id: 'si_nope', price: plans.pro.id }] },
      }),
    );
    expect(withId).toMatchObject({ statusCode: 400, param: 'subscription_details[items][0][id]' });
    const mixed = await stripeError(
      h.stripe.invoices.createPreview({
        customer: customer.id,
        subscription_details: { items: [{ price: plans.pro.id }, { price: plans.proYearly.id }] },
      }),
    );
    expect(mixed).toMatchObject({ statusCode: 400, param: 'subscription_details[items]' });
    const { sub } = await tenDaysIn();
    const trial = await stripeError(
      h.stripe.invoices.createPreview({
        subscription: sub.id,
        subscription_details: { trial_end: Math.floor(Date.now() / 1000) + DAY },
      }),
    );
    expect(trial).toMatchObject({ statusCode: 400, param: 'subscription_details[trial_end]' });
  });
});
