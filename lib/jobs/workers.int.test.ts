import type Stripe from 'stripe';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stripe } from '@/lib/billing/stripe';
import { requeueStaleEvents } from '@/lib/billing/webhooks/process';
import { db } from '@/lib/db';
import { applyQueueFor } from '@/lib/jobs/enqueue';
import { eventsOfCustomer, shuffle } from '@/lib/testing/fixtures';
import { customerWithHistory } from '@/lib/testing/histories';
import { unlockDeadWorkers } from '@/lib/jobs/stale';
import {
  clearJobQueue,
  jobByKey,
  killHard,
  spawnWorkerProcess,
  startTestWorker,
  waitApplied,
  waitFor,
} from '@/lib/testing/jobs';
import { deliverAll } from '@/lib/testing/webhooks';

type Runner = Awaited<ReturnType<typeof startTestWorker>>;
const runners: Runner[] = [];
// The database is shared with earlier files: their leftover jobs (hundreds of
// emails and dunning jobs, events, retries) would keep these workers busy.
beforeAll(clearJobQueue);
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

/** The queue of an event's object: its batch job's key. */
function queueOf(event: Stripe.Event): string {
  return applyQueueFor((event.data.object as { id?: string }).id, event.id);
}

describe('the job queue applying webhook events', () => {
  it('several workers apply a shuffled, duplicated mixed stream in per-object order, ending in Stripe’s state', async () => {
    const customers = await Promise.all([
      customerWithHistory(),
      customerWithHistory(),
      customerWithHistory(),
    ]);
    const events = (await Promise.all(customers.map((c) => eventsOfCustomer(c.customer.id)))).flat();
    expect(new Set(events.map((e) => e.type)).size).toBeGreaterThan(8); // a mixed stream
    const stream = shuffle([...events, ...events, ...shuffle(events).slice(0, events.length / 2)]);

    // Three workers on one database, started before the stream: applying runs while acknowledging does.
    runners.push(await startTestWorker(), await startTestWorker(), await startTestWorker());
    await deliverAll(stream);
    const ids = [...new Set(events.map((e) => e.id))];
    await waitApplied(ids);

    const applied = await db.webhookEvent.findMany({
      where: { id: { in: ids } },
      select: { id: true, objectId: true, status: true, processedAt: true, attempts: true },
    });
    expect(applied.every((e) => e.status === 'processed' || e.status === 'ignored')).toBe(true);
    expect(applied.every((e) => e.attempts === 1)).toBe(true); // applied once, duplicates never re-applied

    // Per object, events were applied in the order they were first delivered (one queue per object).
    const firstDelivery = new Map<string, number>();
    stream.forEach((event, index) => {
      if (!firstDelivery.has(event.id)) firstDelivery.set(event.id, index);
    });
    const byObject = new Map<string, typeof applied>();
    for (const event of applied) {
      const list = byObject.get(event.objectId ?? event.id) ?? [];
      list.push(event);
      byObject.set(event.objectId ?? event.id, list);
    }
    for (const [objectId, list] of byObject) {
      const times = list
        .sort((a, b) => firstDelivery.get(a.id)! - firstDelivery.get(b.id)!)
        .map((e) => e.processedAt!.getTime());
      expect(times, objectId).toEqual([...times].sort((a, b) => a - b));
    }

    // The mirror equals what Stripe says now, for every customer.
    for (const { user, subscriptionId } of customers) {
      const remote = await stripe().subscriptions.retrieve(subscriptionId);
      const local = await db.subscription.findUniqueOrThrow({ where: { id: subscriptionId } });
      expect(local).toMatchObject({
        workspaceId: user.workspaceId,
        status: remote.status,
        priceId: remote.items.data[0]!.price.id,
        cancelAtPeriodEnd: true,
      });
      const paid = (await stripe().invoices.list({ customer: remote.customer as string, status: 'paid' }))
        .data;
      const mirrored = await db.invoice.findMany({
        where: { status: 'paid', customerId: remote.customer as string },
      });
      expect(mirrored.map((i) => i.id).sort()).toEqual(paid.map((i) => i.id!).sort());
    }
  });

  it('picks up a killed worker’s job: another worker applies the event', async () => {
    const { customer, subscriptionId } = await customerWithHistory();
    const events = await eventsOfCustomer(customer.id);
    const target = events.filter((e) => e.type.startsWith('customer.subscription.')).at(-1)!;
    const others = events.filter((e) => e.id !== target.id);
    await deliverAll(others);
    runners.push(await startTestWorker());
    await waitApplied(others.map((e) => e.id));
    await Promise.all(runners.splice(0).map((r) => r.stop()));

    // `npm run worker` in its own process; the subscription is held locked so its job hangs mid-apply.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${subscriptionId}, 0))`;
        await held;
      },
      { timeout: 60_000 },
    );
    const child = spawnWorkerProcess();
    try {
      await deliverAll([target]);
      await waitFor(
        async () => (await jobByKey(queueOf(target)))?.locked_at,
        60_000,
        'the worker process to take the job',
      );
      await killHard(child);
    } finally {
      await killHard(child);
      release();
      await holding;
    }
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: target.id } })).status).toBe('received');
    // Nothing finished it for the dead worker: its job and its queue stay locked.
    expect((await jobByKey(queueOf(target)))?.locked_at).not.toBeNull();

    // A live worker alone cannot take it: the dead worker still holds the job and its queue
    // (graphile-worker would free them after 4 hours).
    runners.push(await startTestWorker());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: target.id } })).status).toBe('received');
    // The requeue job (every 5 minutes) frees a dead worker's locks; here the lock counts as stale at once.
    expect(await unlockDeadWorkers(0)).toBe(1);
    await requeueStaleEvents({ olderThanMs: 0 });
    expect(await jobByKey(target.id)).toBeNull(); // not queued on its own: its batch job runs again
    await waitApplied([target.id]);
    const local = await db.subscription.findUniqueOrThrow({ where: { id: subscriptionId } });
    expect(local.cancelAtPeriodEnd).toBe(true);
  });

  it('frees a queue left locked with no job in it (a connection cut by a PostgreSQL restart)', async () => {
    const { customer } = await customerWithHistory();
    const [target] = await eventsOfCustomer(customer.id);
    await deliverAll([target!]);
    const job = await jobByKey(queueOf(target!));
    expect(job?.queue_name).toMatch(/^apply:/);
    // What the storm found after a restart: the queue is locked by a worker that is gone, and no job is locked.
    await db.$executeRaw`UPDATE graphile_worker._private_job_queues
      SET locked_by = 'worker-lost-in-restart', locked_at = now() - interval '10 minutes'
      WHERE queue_name = ${job!.queue_name}`;
    runners.push(await startTestWorker());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: target!.id } })).status).toBe('received');

    expect(await unlockDeadWorkers()).toBe(1);
    await waitApplied([target!.id]);
  });
});
