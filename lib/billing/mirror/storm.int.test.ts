import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { accessOf } from '@/lib/billing/entitlements';
import { reconcileAll, reconcileCustomer } from '@/lib/billing/reconcile';
import { stripe } from '@/lib/billing/stripe';
import { invoicesOf } from '@/lib/billing/subscription-queries';
import { processEvent } from '@/lib/billing/webhooks/process';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { db } from '@/lib/db';
import { createUser, eventsOfCustomer, priceId } from '@/lib/testing/fixtures';
import { signedRequest } from '@/lib/testing/webhooks';

// The defects a storm of real deliveries found (issue #12), one test each.

async function deliver(events: Stripe.Event[]) {
  for (const event of events) {
    const response = await receiveWebhook(signedRequest(JSON.stringify(event)));
    expect(response.status).toBe(200);
    await processEvent(event.id);
  }
}

async function statusOf(eventId: string) {
  return (await db.webhookEvent.findUniqueOrThrow({ where: { id: eventId } })).status;
}

/** A customer on the wall clock (no test clock), so events carry real seconds. */
async function liveCustomer(lookupKey = 'pro_monthly') {
  const user = await createUser();
  const s = stripe();
  const customer = await s.customers.create({ email: user.email, metadata: { user_id: user.id } });
  const pm = await s.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await s.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  const subscription = await s.subscriptions.create({
    customer: customer.id,
    items: [{ price: await priceId(lookupKey) }],
  });
  return { user, customer, subscription };
}

const features = async (customerId: string) =>
  (await db.entitlement.findMany({ where: { customerId }, orderBy: { lookupKey: 'asc' } })).map(
    (e) => e.lookupKey,
  );

const stripeFeatures = async (customerId: string) =>
  (await stripe().entitlements.activeEntitlements.list({ customer: customerId, limit: 100 })).data
    .map((e) => e.lookup_key)
    .sort();

describe('reconcile and webhooks at the same moment', () => {
  it('applies a webhook created in the same second as a reconcile (a tie, not "older")', async () => {
    const { customer, subscription } = await liveCustomer('pro_monthly');
    await deliver(await eventsOfCustomer(customer.id));
    const starter = await priceId('starter_monthly');
    const seen = new Set((await eventsOfCustomer(customer.id)).map((e) => e.id));
    await reconcileCustomer(customer.id);
    const stamped = await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    const mirrored = await db.customer.findUniqueOrThrow({ where: { id: customer.id } });
    const secondOf = (type: string) =>
      Math.floor(
        (type.startsWith('entitlements.') ? mirrored.entitlementsAt! : stamped.lastEventAt).getTime() / 1000,
      );
    const current = await stripe().subscriptions.retrieve(subscription.id);
    await stripe().subscriptions.update(subscription.id, {
      items: [{ id: current.items.data[0]!.id, price: starter }],
      proration_behavior: 'none',
    });
    // Each of the change's events carries the second reconcile stamped on its object (made
    // deterministic here: on a busy machine the wall clock moves on; Stripe's could say the same second).
    const fresh = (await eventsOfCustomer(customer.id))
      .filter((e) => !seen.has(e.id))
      .map((e) => ({ ...e, created: secondOf(e.type) }));
    expect(fresh.length).toBeGreaterThan(0);
    await deliver(fresh);
    const row = await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    expect(row.priceId).toBe(starter);
    expect(await features(customer.id)).toEqual(await stripeFeatures(customer.id));
  });

  it('runs reconcile concurrently with webhooks without a deadlock, and ends equal to Stripe', async () => {
    const { user, customer, subscription } = await liveCustomer('pro_monthly');
    const events = await eventsOfCustomer(customer.id);
    await deliver(events);
    const replays = Array.from({ length: 4 }, () => events).flat();
    const results = await Promise.all([
      ...replays.map(async (event) => {
        await db.webhookEvent.update({ where: { id: event.id }, data: { status: 'received' } });
        return processEvent(event.id);
      }),
      reconcileCustomer(customer.id),
      reconcileCustomer(customer.id),
      reconcileCustomer(customer.id),
    ]);
    expect(results.filter((r) => r === 'failed')).toEqual([]);
    const row = await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    expect(row).toMatchObject({ status: 'active', planKey: 'pro', workspaceId: user.workspaceId });
    expect(await features(customer.id)).toEqual(await stripeFeatures(customer.id));
  });
});

describe('deleted customers', () => {
  it('customer.deleted ends subscriptions, entitlements and access; late events bring nothing back', async () => {
    const { user, customer, subscription } = await liveCustomer('pro_monthly');
    const before = await eventsOfCustomer(customer.id);
    const [late, early] = [
      before.filter((e) => e.type.startsWith('entitlements.') || e.type === 'customer.subscription.created'),
      before.filter((e) => !e.type.startsWith('entitlements.') && e.type !== 'customer.subscription.created'),
    ];
    await deliver(early);
    await stripe().customers.del(customer.id);
    const deletion = (await eventsOfCustomer(customer.id)).filter((e) => e.type === 'customer.deleted');
    expect(deletion).toHaveLength(1);
    await deliver(deletion);
    await deliver(late); // held back until after the deletion
    const row = await db.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(row.deleted).toBe(true);
    expect(await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({
      status: 'canceled',
    });
    expect(await features(customer.id)).toEqual([]);
    expect((await accessOf(user.workspaceId)).keys).toEqual([]);
    for (const event of [...early, ...deletion, ...late]) expect(await statusOf(event.id)).not.toBe('failed');
  });

  it('a same-second entitlement summary of a deleted customer is applied, not retried forever', async () => {
    const { customer } = await liveCustomer('pro_monthly');
    await deliver(await eventsOfCustomer(customer.id));
    const stored = await db.customer.findUniqueOrThrow({ where: { id: customer.id } });
    await stripe().customers.del(customer.id);
    const summary = (await eventsOfCustomer(customer.id)).find((e) => e.type.startsWith('entitlements.'))!;
    // Same second as the stored snapshot: a tie, which asks Stripe (which says "No such customer").
    const tie = {
      ...summary,
      id: `evt_tie_${customer.id}`,
      created: Math.floor(stored.entitlementsAt!.getTime() / 1000),
    };
    await deliver([tie as Stripe.Event]);
    expect(await statusOf(tie.id)).toBe('processed');
    expect(await features(customer.id)).toEqual([]);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).deleted).toBe(true);
  });

  it('reconcileAll finds customers deleted at Stripe (which it no longer lists)', async () => {
    const { user, customer, subscription } = await liveCustomer('pro_monthly');
    await deliver(await eventsOfCustomer(customer.id));
    await stripe().customers.del(customer.id); // no webhook delivered
    const { changes } = await reconcileAll();
    expect(changes.some((c) => c.includes(`customer ${customer.id}`))).toBe(true);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).deleted).toBe(true);
    expect((await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).status).toBe(
      'canceled',
    );
    expect((await accessOf(user.workspaceId)).keys).toEqual([]);
  });
});

describe('deleted draft invoices', () => {
  it('invoice.deleted leaves no ghost draft, even when invoice.created arrives after it', async () => {
    const { user, customer } = await liveCustomer('starter_monthly');
    await deliver(await eventsOfCustomer(customer.id));
    const draft = await stripe().invoices.create({ customer: customer.id, auto_advance: false });
    await stripe().invoices.del(draft.id!);
    const events = (await eventsOfCustomer(customer.id)).filter((e) =>
      JSON.stringify(e.data.object).includes(draft.id!),
    );
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['invoice.created', 'invoice.deleted']));
    await deliver(events.reverse()); // the deletion first
    expect((await invoicesOf(user.workspaceId)).map((i) => i.id)).not.toContain(draft.id);
    for (const event of events) expect(await statusOf(event.id)).toBe('processed');
  });

  it('reconcile removes a draft deleted at Stripe', async () => {
    const { user, customer } = await liveCustomer('starter_monthly');
    await deliver(await eventsOfCustomer(customer.id));
    const draft = await stripe().invoices.create({ customer: customer.id, auto_advance: false });
    await deliver((await eventsOfCustomer(customer.id)).filter((e) => e.type === 'invoice.created'));
    expect((await invoicesOf(user.workspaceId)).map((i) => i.id)).toContain(draft.id);
    await stripe().invoices.del(draft.id!);
    await reconcileCustomer(customer.id);
    expect((await invoicesOf(user.workspaceId)).map((i) => i.id)).not.toContain(draft.id);
  });
});

describe('refunds seen first', () => {
  it('a refund made outside the app, arriving before anything else about its payment, is kept', async () => {
    const { user, customer } = await liveCustomer('pro_monthly');
    const invoice = (await stripe().invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
    const intent = (await stripe().invoicePayments.list({ invoice: invoice.id!, limit: 1 })).data[0]!.payment
      .payment_intent;
    const refund = await stripe().refunds.create({
      payment_intent: typeof intent === 'string' ? intent : intent!.id,
      amount: 500,
    });
    const events = (await eventsOfCustomer(customer.id)).filter((e) => e.type === 'refund.created');
    const refundEvents = events.length
      ? events
      : (await stripe().events.list({ type: 'refund.created', limit: 20 })).data.filter(
          (e) => (e.data.object as Stripe.Refund).id === refund.id,
        );
    expect(refundEvents).toHaveLength(1);
    await deliver(refundEvents);
    const row = await db.refund.findUnique({ where: { id: refund.id }, include: { payment: true } });
    expect(row).toMatchObject({
      amount: 500,
      payment: { workspaceId: user.workspaceId, invoiceId: invoice.id },
    });
  });
});
