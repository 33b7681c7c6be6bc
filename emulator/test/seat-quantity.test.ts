import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { advance, DAY, period, settle, subscriber, testClock } from './billing-helpers';
import { harnessPerTest } from './helpers';

// Per-seat billing: `subscriptions.update` with `items[0][quantity]` under each
// `proration_behavior` (https://docs.stripe.com/billing/subscriptions/quantities and
// https://docs.stripe.com/billing/subscriptions/prorations), and `invoices.createPreview` of the
// same change agreeing with what is then billed.

const h = harnessPerTest();
let seat: Stripe.Price;

beforeEach(async () => {
  const product = await h.stripe.products.create({ name: 'Team', unit_label: 'seat' });
  seat = await h.stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: 1_200,
    recurring: { interval: 'month' },
    lookup_key: 'team_monthly',
  });
  await settle(h);
});

/** Three seats from 2031-01-06, then 10 days in: 21 of 31 days left. */
async function threeSeatsTenDaysIn() {
  const clock = await testClock(h);
  const customer = await subscriber(h, { clock: clock.id });
  const sub = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: seat.id, quantity: 3 }],
  });
  await advance(h, clock, 10 * DAY);
  await settle(h);
  return { clock, customer, sub, item: sub.items.data[0]!, end: period(sub).end };
}

const prorated = (seats: number) => Math.round((1_200 * seats * 21) / 31);

async function pending(customer: string) {
  return (await h.stripe.invoiceItems.list({ customer, pending: true })).data.map((i) => i.amount).sort();
}

async function updateInvoices(subscription: string) {
  const list = await h.stripe.invoices.list({ subscription, limit: 100 });
  return list.data.filter((i) => i.billing_reason === 'subscription_update');
}

describe('seat quantity changes', () => {
  it('create_prorations: the difference waits on pending items for the next renewal', async () => {
    const { customer, sub, item, clock } = await threeSeatsTenDaysIn();
    const preview = await h.stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: {
        items: [{ id: item.id, quantity: 5 }],
        proration_behavior: 'create_prorations',
      },
    });
    expect(preview.billing_reason).toBe('upcoming');
    expect(preview.amount_due).toBe(5 * 1_200 + prorated(5) - prorated(3));

    const updated = await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, quantity: 5 }],
      proration_behavior: 'create_prorations',
    });
    expect(updated.items.data[0]!.quantity).toBe(5);
    expect(await pending(customer.id)).toEqual([-prorated(3), prorated(5)]);
    expect(await updateInvoices(sub.id)).toEqual([]);

    await advance(h, clock, 21 * DAY + 3_600 * 2);
    const renewal = (await h.stripe.invoices.list({ subscription: sub.id, limit: 10 })).data.find(
      (i) => i.billing_reason === 'subscription_cycle',
    );
    expect(renewal).toMatchObject({ status: 'paid', amount_paid: preview.amount_due });
  });

  it('always_invoice: the prorated seats are invoiced and charged at once, as previewed', async () => {
    const { customer, sub, item } = await threeSeatsTenDaysIn();
    const preview = await h.stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: item.id, quantity: 4 }], proration_behavior: 'always_invoice' },
    });
    expect(preview.billing_reason).toBe('subscription_update');
    expect(preview.amount_due).toBe(prorated(4) - prorated(3));
    const lines = preview.lines.data.map((l) => [l.amount, l.description]);
    expect(lines).toEqual([
      [-prorated(3), 'Unused time on 3 × Team after January 16, 2031'],
      [prorated(4), 'Remaining time on 4 × Team after January 16, 2031'],
    ]);

    await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, quantity: 4 }],
      proration_behavior: 'always_invoice',
    });
    const [invoice, ...more] = await updateInvoices(sub.id);
    expect(more).toEqual([]);
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: preview.amount_due });
    expect(await pending(customer.id)).toEqual([]);
  });

  it('always_invoice on fewer seats: the credit goes to the customer balance, nothing is charged', async () => {
    const { customer, sub, item } = await threeSeatsTenDaysIn();
    await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, quantity: 2 }],
      proration_behavior: 'always_invoice',
    });
    const [invoice] = await updateInvoices(sub.id);
    expect(invoice).toMatchObject({ total: prorated(2) - prorated(3), amount_due: 0, status: 'paid' });
    expect((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      balance: prorated(2) - prorated(3),
    });
  });

  it('none: the quantity changes, nothing is prorated, the next renewal bills the new count', async () => {
    const { customer, sub, item } = await threeSeatsTenDaysIn();
    await h.stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, quantity: 6 }],
      proration_behavior: 'none',
    });
    expect(await pending(customer.id)).toEqual([]);
    expect(await updateInvoices(sub.id)).toEqual([]);
    const upcoming = await h.stripe.invoices.createPreview({ customer: customer.id, subscription: sub.id });
    expect(upcoming.amount_due).toBe(6 * 1_200);
  });

  it('replays an update sent again with the same idempotency key: one change, one invoice', async () => {
    const { sub, item } = await threeSeatsTenDaysIn();
    const send = () =>
      h.stripe.subscriptions.update(
        sub.id,
        { items: [{ id: item.id, quantity: 4 }], proration_behavior: 'always_invoice' },
        { idempotencyKey: `seats-${sub.id}-3-4-v1` },
      );
    const [first, second] = [await send(), await send()];
    expect(second.latest_invoice).toEqual(first.latest_invoice);
    expect(await updateInvoices(sub.id)).toHaveLength(1);
  });
});
