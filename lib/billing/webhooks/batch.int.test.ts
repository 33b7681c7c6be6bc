import fc from 'fast-check';
import type Stripe from 'stripe';
import { describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { log } from '@/lib/log';
import { createUser, eventsOfCustomer } from '@/lib/testing/fixtures';
import { life, mirrorView, stripeView, wipe } from '@/lib/testing/subscription-life';
import { signedRequest } from '@/lib/testing/webhooks';
import { tallyChecks } from '@/scripts/lib/tally-checks';
import { applyBatch, type BatchEntry } from './batch';
import { receiveWebhook } from './receive';

// Batch jobs (ADR 0038) apply a queue's hot events several to a transaction. Two workers' batches
// hold shuffled, duplicated deliveries of two subscriptions' lives (each delivery in one of them
// or both, in any order), and run concurrently, as two workers would after a redelivery or a
// requeue: the mirror must end equal to Stripe's objects, with every event applied once.

const entryOf = (event: Stripe.Event): BatchEntry => ({ id: event.id, type: event.type, connected: false });

describe('batch jobs on the hot path', () => {
  it('two workers’ overlapping batches of shuffled, duplicated deliveries end equal to Stripe', async () => {
    const user = await createUser();
    const { customer, subscriptionIds } = await life(user.id);
    const events = await eventsOfCustomer(customer.id);
    const expected = await Promise.all(subscriptionIds.map(stripeView));
    const applied = vi.spyOn(log, 'info');
    let batched = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([...events.keys()], { minLength: events.length }),
        fc.array(fc.nat(events.length - 1), { maxLength: events.length }),
        // For each delivery: worker A's batch, B's, or both.
        fc.array(fc.constantFrom('a', 'b', 'both'), {
          minLength: 2 * events.length,
          maxLength: 2 * events.length,
        }),
        async (order, dupes, owners) => {
          await wipe(
            user.workspaceId,
            events.map((e) => e.id),
          );
          applied.mockClear();
          const deliveries = [...order, ...dupes].map((i) => events[i]!);
          for (const event of deliveries)
            expect((await receiveWebhook(signedRequest(JSON.stringify(event)))).status).toBe(200);
          const a = deliveries.filter((_, i) => owners[i] !== 'b').map(entryOf);
          const b = deliveries.filter((_, i) => owners[i] !== 'a').map(entryOf);
          const results = await Promise.all([applyBatch(a, '0'), applyBatch(b, '0')]);
          expect(results.flatMap((r) => r.failed)).toEqual([]);
          // An event both held may be skipped by one while the other applies it: wait for both.
          const rows = await db.webhookEvent.findMany({
            where: { id: { in: events.map((e) => e.id) } },
            select: { id: true, status: true, attempts: true },
          });
          expect(rows.filter((r) => r.status !== 'processed' && r.status !== 'ignored')).toEqual([]);
          expect(rows.filter((r) => r.attempts !== 1)).toEqual([]); // each applied once
          for (const [i, id] of subscriptionIds.entries()) expect(await mirrorView(id)).toEqual(expected[i]);
          const workspace = await db.workspace.findUniqueOrThrow({ where: { id: user.workspaceId } });
          expect(workspace.trialUsedAt).toEqual(expected[1]!.trialStart);
          for (const [name, sql] of Object.entries(tallyChecks))
            expect(await db.$queryRawUnsafe(sql), name).toEqual([]);
          batched += applied.mock.calls.filter(
            ([msg, fields]) => msg === 'webhook.applied' && fields?.path === 'hot-batch',
          ).length;
        },
      ),
      { numRuns: 6, seed: 2038 },
    );
    applied.mockRestore();
    // Shared transactions took part (what they leave to the handlers is applied there).
    expect(batched).toBeGreaterThanOrEqual(18);
  });
});
