import fc from 'fast-check';
import type Stripe from 'stripe';
import { describe, expect, it, vi } from 'vitest';
import { processEvent } from '@/lib/billing/webhooks/process';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { db } from '@/lib/db';
import { log } from '@/lib/log';
import { createUser, eventsOfCustomer } from '@/lib/testing/fixtures';
import { life, mirrorView, stripeView, wipe } from '@/lib/testing/subscription-life';
import { fakeEvent, signedRequest } from '@/lib/testing/webhooks';
import { receiveConnectWebhook } from './connected-intake';
import { tallyChecks } from '@/scripts/lib/tally-checks';

// The applier's hot path (ADR 0037) applies the commonest subscription events in one statement
// and hands everything else to the handlers. A subscription's life on a test clock set in the
// past (so its events are spaced minutes apart and never ahead of our clock) is delivered
// shuffled, duplicated and partly concurrently, and the mirror must end equal to Stripe's
// objects, with the trial spent, the past_due episode's start kept and the tallies exact.

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
