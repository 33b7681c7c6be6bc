import type Stripe from 'stripe';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stripe } from '@/lib/billing/stripe';
import { requeueStaleEvents } from '@/lib/billing/webhooks/process';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { db } from '@/lib/db';
import { applyQueueFor } from '@/lib/jobs/enqueue';
import { unlockDeadWorkers } from '@/lib/jobs/stale';
import { eventsOfCustomer } from '@/lib/testing/fixtures';
import { customerWithHistory } from '@/lib/testing/histories';
import {
  clearJobQueue,
  jobByKey,
  killHard,
  spawnWorkerProcess,
  startTestWorker,
  waitApplied,
  waitFor,
} from '@/lib/testing/jobs';
import { fakeEvent, signedRequest } from '@/lib/testing/webhooks';

// Batch jobs (ADR 0038): the events recorded on one queue are appended to its pending
// apply_events job and applied by one job, in order. These tests try to lose, repeat or block
// events with what a batch adds: a worker killed mid-batch, an enqueue lost after the insert,
// a poisoned event among good ones.

type Runner = Awaited<ReturnType<typeof startTestWorker>>;
const runners: Runner[] = [];
beforeAll(clearJobQueue);
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

const objectOf = (event: Stripe.Event) => (event.data.object as { id?: string }).id ?? null;
const queueOf = (event: Stripe.Event) => applyQueueFor(objectOf(event), event.id);

async function deliverAll(events: Array<{ id: string }>) {
  // Concurrently, as Stripe delivers: the recorder groups them into shared statements.
  const responses = await Promise.all(
    events.map((event) => receiveWebhook(signedRequest(JSON.stringify(event)))),
  );
  expect(responses.map((r) => r.status)).toEqual(events.map(() => 200));
}

async function batchPayload(queue: string): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ payload: Array<{ id: string }> }>>`
    SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE j.key = ${queue} AND t.identifier = 'apply_events'`;
  return rows[0]?.payload.map((entry) => entry.id) ?? [];
}

const rowOf = (id: string) =>
  db.webhookEvent.findUniqueOrThrow({ where: { id }, select: { status: true, attempts: true, error: true } });

async function expectMirrorMatches(subscriptionId: string) {
  const remote = await stripe().subscriptions.retrieve(subscriptionId);
  const local = await db.subscription.findUniqueOrThrow({ where: { id: subscriptionId } });
  expect(local).toMatchObject({
    status: remote.status,
    priceId: remote.items.data[0]!.price.id,
    cancelAtPeriodEnd: remote.cancel_at_period_end,
  });
}

describe('batch jobs applying webhook events', () => {
  it('records concurrent deliveries into one job per queue, each event once', async () => {
    const { customer } = await customerWithHistory();
    const events = await eventsOfCustomer(customer.id);
    await deliverAll([...events, ...events]); // every event twice, concurrently
    const expected = new Map<string, string[]>();
    for (const event of events)
      expected.set(queueOf(event), [...(expected.get(queueOf(event)) ?? []), event.id]);
    // Concurrent deliveries have no order; sequential ones keep theirs (the poisoned-batch test).
    for (const [queue, ids] of expected)
      expect((await batchPayload(queue)).sort(), queue).toEqual(ids.sort());
    runners.push(await startTestWorker(2));
    await waitApplied(events.map((e) => e.id));
    for (const event of events) expect((await rowOf(event.id)).attempts).toBe(1);
  });

  it('a stream recorded while workers take its queues’ jobs: every event gets a job, none waits for the sweep', async () => {
    // Few queues, so workers keep taking a queue's job while acknowledgements append to it (a spec
    // add_jobs drops in that race is queued again by the recorder).
    const ids: string[] = [];
    for (let n = 0; ids.length < 400; n += 1)
      if (['apply:1', 'apply:2', 'apply:3'].includes(applyQueueFor(`ba_race_${n}`, '')))
        ids.push(`ba_race_${n}`);
    const events = ids.map((id) => fakeEvent('balance.available', { id, object: 'balance' }));
    runners.push(await startTestWorker(4), await startTestWorker(4));
    for (let i = 0; i < events.length; i += 16) await deliverAll(events.slice(i, i + 16));
    await waitApplied(
      events.map((e) => e.id),
      20_000,
    );
    for (const event of events.slice(0, 20)) expect((await rowOf(event.id)).status).toBe('ignored');
  });

  it('a worker killed mid-batch: another applies the rest, and what it applied is not applied again', async () => {
    const { customer, subscriptionId } = await customerWithHistory();
    const events = await eventsOfCustomer(customer.id);
    const held = events.filter((e) => objectOf(e) === subscriptionId).at(-1)!;
    // Another object on the held one's queue: a customer Stripe does not know (its handler asks
    // Stripe, then records it as not linked); it applies, then the held event hangs.
    let n = 0;
    while (applyQueueFor(`cus_batch_${n}`, '') !== queueOf(held)) n += 1;
    const first = fakeEvent('customer.updated', { id: `cus_batch_${n}`, object: 'customer', metadata: {} });
    const others = events.filter((e) => e.id !== held.id);
    await deliverAll(others);
    runners.push(await startTestWorker());
    await waitApplied(others.map((e) => e.id));
    await Promise.all(runners.splice(0).map((r) => r.stop()));

    for (const event of [first, held]) await deliverAll([event]); // one batch job: [first, held]
    expect(await batchPayload(queueOf(held))).toEqual([first.id, held.id]);
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const holding = db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${objectOf(held)}, 0))`;
        await hold;
      },
      { timeout: 60_000 },
    );
    const child = spawnWorkerProcess();
    try {
      await waitFor(async () => (await rowOf(first.id)).status !== 'received', 60_000, 'the first event');
      await killHard(child);
    } finally {
      await killHard(child);
      release();
      await holding;
    }
    expect((await rowOf(held.id)).status).toBe('received');
    expect((await jobByKey(queueOf(held)))?.locked_at).not.toBeNull(); // held by the dead worker
    // An event on the same queue meanwhile supersedes the dead worker's job (a new job behind it;
    // graphile-worker uses up the old one's attempts): freed, the old one must still run.
    while (applyQueueFor(`cus_batch_${++n}`, '') !== queueOf(held));
    const later = fakeEvent('customer.updated', { id: `cus_batch_${n}`, object: 'customer', metadata: {} });
    await deliverAll([later]);

    runners.push(await startTestWorker());
    expect(await unlockDeadWorkers(0)).toBe(1);
    await requeueStaleEvents({ olderThanMs: 0 });
    expect(await jobByKey(held.id)).toBeNull(); // not queued on its own: its batch runs again
    await waitApplied([first.id, held.id, later.id]);
    for (const event of [first, held]) expect((await rowOf(event.id)).attempts, event.type).toBe(1);
    expect((await rowOf(first.id)).status).toBe('processed');
    await expectMirrorMatches(subscriptionId);
  });

  it('an enqueue lost after the insert: the sweep finds the inbox row without a job and queues it', async () => {
    const { customer, subscriptionId } = await customerWithHistory();
    const events = await eventsOfCustomer(customer.id);
    await deliverAll(events.slice(0, -1));
    runners.push(await startTestWorker());
    await waitApplied(events.slice(0, -1).map((e) => e.id));
    await Promise.all(runners.splice(0).map((r) => r.stop()));

    const last = events.at(-1)!;
    await deliverAll([last]);
    // As if the process died between the insert and the job: the row, and no job anywhere.
    await db.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE key = ${queueOf(last)}`;
    runners.push(await startTestWorker());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await rowOf(last.id)).status).toBe('received');

    await requeueStaleEvents({ olderThanMs: 60_000 });
    expect(await jobByKey(last.id)).toBeNull(); // too recent: its enqueue may still be under way
    await requeueStaleEvents({ olderThanMs: 0 });
    expect(await jobByKey(last.id)).not.toBeNull();
    await waitApplied([last.id]);
    expect((await rowOf(last.id)).attempts).toBe(1);
    await expectMirrorMatches(subscriptionId);
  });

  it('a poisoned event in a batch: the others apply, it is recorded failed and retried on its own', async () => {
    const { customer, subscriptionId } = await customerWithHistory();
    const good = await eventsOfCustomer(customer.id);
    const subscriptionEvents = good.filter((e) => objectOf(e) === subscriptionId);
    const queue = queueOf(subscriptionEvents[0]!);
    let n = 0;
    while (applyQueueFor(`sub_poison_${n}`, '') !== queue) n += 1;
    // A subscription event of this customer that no handler can apply (its items are not a list),
    // on the same queue.
    const poison = fakeEvent('customer.subscription.updated', {
      id: `sub_poison_${n}`,
      object: 'subscription',
      customer: customer.id,
      status: 'active',
      items: 'not a list',
    });
    const at = good.indexOf(subscriptionEvents[1]!) + 1;
    const stream = [...good.slice(0, at), poison, ...good.slice(at)];
    for (const event of stream) await deliverAll([event]);
    const onQueue = stream.filter((e) => applyQueueFor(objectOf(e as Stripe.Event), e.id) === queue);
    expect(onQueue.length).toBeGreaterThan(2);
    expect(await batchPayload(queue)).toEqual(onQueue.map((e) => e.id));

    runners.push(await startTestWorker());
    await waitApplied(good.map((e) => e.id));
    await expectMirrorMatches(subscriptionId);
    expect((await rowOf(poison.id)).status).toBe('failed');
    // Its own job retries it (graphile-worker's backoff), not the batch's.
    expect(await jobByKey(poison.id)).not.toBeNull();
    await waitFor(async () => (await rowOf(poison.id)).attempts >= 2, 30_000, 'the retry');
    expect((await rowOf(poison.id)).status).toBe('failed');
    for (const event of good) expect((await rowOf(event.id)).attempts).toBe(1);
    // Later files share the database: the poison must not keep failing in their workers.
    await db.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE key = ${poison.id}`;
    await db.webhookEvent.delete({ where: { id: poison.id } });
  });
});
