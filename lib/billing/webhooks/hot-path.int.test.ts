import fc from 'fast-check';
import type Stripe from 'stripe';
import { describe, expect, it, vi } from 'vitest';
import { stripe } from '@/lib/billing/stripe';
import { processEvent } from '@/lib/billing/webhooks/process';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { planItem } from '@/lib/billing/mirror/subscription-items';
import { db } from '@/lib/db';
import { log } from '@/lib/log';
import { createUser, eventsOfCustomer, priceId } from '@/lib/testing/fixtures';
import { fakeEvent, signedRequest } from '@/lib/testing/webhooks';
import { receiveConnectWebhook } from './connected-intake';
import { tallyChecks } from '@/scripts/lib/tally-checks';

// The applier's hot path (ADR 0037) applies the commonest subscription events in one statement
// and hands everything else to the handlers. A subscription's life on a test clock set in the
// past (so its events are spaced minutes apart and never ahead of our clock) is delivered
// shuffled, duplicated and partly concurrently, and the mirror must end equal to Stripe's
// objects, with the trial spent, the past_due episode's start kept and the tallies exact.

const MINUTE = 60;
const DAY = 86_400;

async function life(userId: string) {
  const s = stripe();
  const clock = await s.testHelpers.testClocks.create({
    frozen_time: Math.floor(Date.now() / 1000) - 40 * DAY,
  });
  const advance = async (seconds: number) => {
    const current = await s.testHelpers.testClocks.retrieve(clock.id);
    await s.testHelpers.testClocks.advance(clock.id, { frozen_time: current.frozen_time + seconds });
  };
  const customer = await s.customers.create({
    email: `hot-${userId}@example.com`,
    metadata: { user_id: userId },
    test_clock: clock.id,
  });
  const visa = await s.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await s.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
  const a = await s.subscriptions.create({
    customer: customer.id,
    items: [{ price: await priceId('starter_monthly') }],
  });
  await advance(10 * MINUTE);
  const b = await s.subscriptions.create({
    customer: customer.id,
    items: [{ price: await priceId('pro_monthly') }],
    trial_period_days: 7,
  });
  await advance(10 * MINUTE);
  await s.subscriptions.update(a.id, { items: [{ id: a.items.data[0]!.id, quantity: 3 }] });
  await advance(10 * MINUTE);
  await s.subscriptions.update(b.id, { cancel_at_period_end: true });
  await advance(10 * MINUTE);
  await s.subscriptions.update(a.id, {
    items: [{ id: a.items.data[0]!.id, deleted: true }, { price: await priceId('pro_monthly') }],
    proration_behavior: 'none',
  });
  await advance(10 * MINUTE);
  await s.subscriptions.update(b.id, { cancel_at_period_end: false });
  await advance(8 * DAY); // b's trial ends and is paid
  const failing = await s.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
  await s.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
  await advance(23 * DAY); // a renews on the failing card: past_due
  await advance(10 * MINUTE);
  const aNow = await s.subscriptions.retrieve(a.id);
  await s.subscriptions.update(a.id, {
    items: [{ id: aNow.items.data[0]!.id, quantity: 2 }],
    proration_behavior: 'none',
  });
  await advance(10 * MINUTE);
  await s.subscriptions.cancel(b.id);
  return { customer, subscriptionIds: [a.id, b.id] };
}

const at = (seconds: number | null | undefined) => (seconds == null ? null : new Date(seconds * 1000));

/** What the mirror must hold for a subscription, read from Stripe now. */
async function stripeView(subscriptionId: string) {
  const subscription = await stripe().subscriptions.retrieve(subscriptionId);
  const item = planItem(subscription.items.data)!;
  return {
    status: subscription.status,
    priceId: item.price.id,
    quantity: item.quantity ?? 1,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    currentPeriodStart: at(item.current_period_start),
    currentPeriodEnd: at(item.current_period_end),
    canceledAt: at(subscription.canceled_at),
    endedAt: at(subscription.ended_at),
    trialStart: at(subscription.trial_start),
    trialEnd: at(subscription.trial_end),
    latestInvoiceId: typeof subscription.latest_invoice === 'string' ? subscription.latest_invoice : null,
    // The grace period runs from the start of the period whose invoice failed.
    pastDueSince: subscription.status === 'past_due' ? at(item.current_period_start) : null,
    items: subscription.items.data
      .map((i) => ({ id: i.id, priceId: i.price.id, quantity: i.quantity ?? 1 }))
      .sort((x, y) => (x.id < y.id ? -1 : 1)),
  };
}

async function mirrorView(subscriptionId: string) {
  const row = await db.subscription.findUniqueOrThrow({
    where: { id: subscriptionId },
    select: {
      status: true,
      priceId: true,
      quantity: true,
      cancelAtPeriodEnd: true,
      currentPeriodStart: true,
      currentPeriodEnd: true,
      canceledAt: true,
      endedAt: true,
      trialStart: true,
      trialEnd: true,
      latestInvoiceId: true,
      pastDueSince: true,
      items: { select: { id: true, priceId: true, quantity: true } },
    },
  });
  return { ...row, items: row.items.sort((x, y) => (x.id < y.id ? -1 : 1)) };
}

async function wipe(workspaceId: string, eventIds: string[]) {
  await db.$transaction([
    db.creditLedger.deleteMany({ where: { workspaceId } }),
    db.payment.deleteMany({ where: { workspaceId } }),
    db.customer.deleteMany({ where: { workspaceId } }),
    db.workspace.update({ where: { id: workspaceId }, data: { creditBalance: 0, trialUsedAt: null } }),
    db.webhookEvent.deleteMany({ where: { id: { in: eventIds } } }),
  ]);
}

describe('the applier hot path', () => {
  it('ends equal to Stripe for shuffled, duplicated, concurrent deliveries of a mixed stream', async () => {
    const user = await createUser();
    const { customer, subscriptionIds } = await life(user.id);
    const events = await eventsOfCustomer(customer.id);
    const subscriptionEvents = events.filter((e) => e.type.startsWith('customer.subscription.'));
    expect(subscriptionEvents.length).toBeGreaterThanOrEqual(8);
    expect(events.length).toBeGreaterThan(subscriptionEvents.length); // invoices, payments, the customer
    const expected = await Promise.all(subscriptionIds.map(stripeView));
    expect(expected.map((e) => e.status)).toEqual(['past_due', 'canceled']);
    const applied = vi.spyOn(log, 'info');
    let hot = 0;

    await fc.assert(
      fc.asyncProperty(
        // Indices into `events`, so a counterexample prints short.
        fc.shuffledSubarray([...events.keys()], { minLength: events.length }),
        fc.array(fc.nat(events.length - 1), { maxLength: events.length }),
        fc.integer({ min: 1, max: 4 }),
        async (order, dupes, width) => {
          await wipe(
            user.workspaceId,
            events.map((e) => e.id),
          );
          applied.mockClear();
          const deliveries: Stripe.Event[] = [...order, ...dupes].map((i) => events[i]!);
          for (const event of deliveries)
            expect((await receiveWebhook(signedRequest(JSON.stringify(event)))).status).toBe(200);
          // `width` deliveries at a time, as concurrent workers would take them.
          for (let i = 0; i < deliveries.length; i += width)
            await Promise.all(
              deliveries
                .slice(i, i + width)
                .map(async (event) =>
                  expect(await processEvent(event.id, { type: event.type })).not.toBe('failed'),
                ),
            );
          const statuses = await db.webhookEvent.groupBy({
            by: ['status'],
            where: { id: { in: events.map((e) => e.id) } },
            _count: true,
          });
          expect(statuses.map((s) => s.status).sort()).toEqual(expect.arrayContaining(['processed']));
          expect(statuses.every((s) => s.status === 'processed' || s.status === 'ignored')).toBe(true);
          for (const [i, id] of subscriptionIds.entries()) expect(await mirrorView(id)).toEqual(expected[i]);
          const workspace = await db.workspace.findUniqueOrThrow({ where: { id: user.workspaceId } });
          expect(workspace.trialUsedAt).toEqual(expected[1]!.trialStart);
          for (const [name, sql] of Object.entries(tallyChecks))
            expect(await db.$queryRawUnsafe(sql), name).toEqual([]);
          hot += applied.mock.calls.filter(
            ([msg, fields]) => msg === 'webhook.applied' && fields?.path === 'hot',
          ).length;
        },
      ),
      { numRuns: 6, seed: 1437 },
    );
    applied.mockRestore();
    console.log('HOT', hot);
    // The hot path took part (every event it leaves to the handlers is applied there).
    expect(hot).toBeGreaterThanOrEqual(18);
  });

  it('never applies a connected account’s subscription event to the platform mirror', async () => {
    // The worst case: the connected account's customer id is one the platform mirrors.
    const platform = await createUser();
    const seller = await createUser();
    const customerId = `cus_hot${Date.now().toString(36)}`;
    await db.customer.create({
      data: { id: customerId, workspaceId: platform.workspaceId, lastEventAt: new Date(0) },
    });
    const accountId = `acct_hot${Date.now().toString(36)}`;
    await db.stripeConnection.create({
      data: { workspaceId: seller.workspaceId, accountId, via: 'connect', status: 'connected' },
    });
    const now = Math.floor(Date.now() / 1000);
    const subscription = (id: string) => ({
      id,
      object: 'subscription',
      customer: customerId,
      status: 'active',
      cancel_at_period_end: false,
      created: now - 60,
      livemode: false,
      items: {
        object: 'list',
        has_more: false,
        data: [
          {
            id: `si_${id}`,
            object: 'subscription_item',
            created: now - 60,
            quantity: 1,
            current_period_start: now - 60,
            current_period_end: now + 86_400,
            price: { id: 'price_hot', object: 'price', lookup_key: 'pro_monthly', product: 'prod_hot' },
          },
        ],
      },
    });
    const ids = [`sub_hotA${now}`, `sub_hotB${now}`];
    for (const [i, id] of ids.entries()) {
      const event = fakeEvent('customer.subscription.updated', subscription(id), { account: accountId });
      const request = signedRequest(JSON.stringify(event), {
        secret: process.env.STRIPE_CONNECT_WEBHOOK_SECRET!,
      });
      expect((await receiveConnectWebhook(request)).status).toBe(200);
      // With the job's hint, and without one (a replay, a test), as the hot path claims it first then.
      const hint = i === 0 ? { type: event.type, connected: true } : {};
      expect(await processEvent(event.id, hint)).toBe('processed');
    }
    expect(await db.subscription.count({ where: { id: { in: ids } } })).toBe(0);
  });
});
