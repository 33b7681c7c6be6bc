import { randomUUID } from 'node:crypto';
import { parseCrontab } from 'graphile-worker';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newReferralCode } from '@/lib/auth/referral-code';
import { scheduleDowngrade } from '@/lib/billing/dunning';
import { stripe } from '@/lib/billing/stripe';
import { recordEvent } from '@/lib/billing/webhooks/receive';
import { applyQueueFor } from '@/lib/jobs/enqueue';
import { db } from '@/lib/db';
import { addJob } from '@/lib/jobs/enqueue';
import { crontab } from '@/lib/jobs/tasks';
import { createUser, customerOnClock, eventsOfCustomer, priceId } from '@/lib/testing/fixtures';
import { clearJobQueue, jobByKey, startTestWorker, waitApplied, waitFor } from '@/lib/testing/jobs';
import { catchUp } from '@/lib/testing/webhooks';

type Runner = Awaited<ReturnType<typeof startTestWorker>>;
const runners: Runner[] = [];
// The database is shared with earlier files: their leftover jobs (hundreds of
// emails and dunning jobs, events, retries) would keep these workers busy.
beforeAll(clearJobQueue);
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

/** Queue one job and let a real worker run it to completion. */
async function runJob(task: string, payload: Record<string, unknown> = {}) {
  const jobKey = `test:${task}:${randomUUID()}`;
  await db.$transaction((tx) => addJob(tx, task, payload, { jobKey, maxAttempts: 1 }));
  if (runners.length === 0) runners.push(await startTestWorker());
  await waitFor(async () => (await jobByKey(jobKey)) === null, 60_000, `job ${task} to run`);
}

const subjects = async (to: string) =>
  (await db.email.findMany({ where: { to }, orderBy: { createdAt: 'asc' } })).map((e) => e.subject);

describe('scheduled jobs, each run once', () => {
  it('has a valid schedule: reconcile nightly, recovery, requeue, cleanup and invoice reminders', () => {
    const items = parseCrontab(crontab());
    expect(items.map((i) => i.task).sort()).toEqual([
      'cleanup',
      'reconcile',
      'recover_events',
      'remind_overdue_invoices',
      'requeue_events',
    ]);
    expect(items.find((i) => i.task === 'reconcile')!.match).toBeDefined();
  });

  it('reconcile: restores a subscription the mirror never heard of', async () => {
    const user = await createUser();
    const customer = await stripe().customers.create({ email: user.email, metadata: { user_id: user.id } });
    await stripe().paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const pm = (await stripe().paymentMethods.list({ customer: customer.id })).data[0]!;
    await stripe().customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const subscription = await stripe().subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('starter_monthly') }],
    });
    expect(await db.subscription.findUnique({ where: { id: subscription.id } })).toBeNull();
    await runJob('reconcile');
    expect(await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({
      workspaceId: user.workspaceId,
      status: 'active',
    });
  });

  it('recover_events: records and applies events Stripe never delivered', async () => {
    const user = await createUser();
    const { customer } = await customerOnClock(user.id);
    const subscription = await stripe().subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('pro_monthly') }],
    });
    const missed = await eventsOfCustomer(customer.id);
    expect(missed.length).toBeGreaterThan(3);
    expect(await db.webhookEvent.count({ where: { id: { in: missed.map((e) => e.id) } } })).toBe(0);
    await runJob('recover_events');
    expect(await db.webhookEvent.count({ where: { id: { in: missed.map((e) => e.id) } } })).toBe(
      missed.length,
    );
    await waitApplied(missed.map((e) => e.id));
    expect(await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({
      status: 'active',
      workspaceId: user.workspaceId,
    });
  });

  it('requeue_events: queues again an event whose job was lost', async () => {
    const user = await createUser();
    const { customer } = await customerOnClock(user.id);
    const [event] = await eventsOfCustomer(customer.id);
    await recordEvent(event!, JSON.stringify(event));
    // The job is gone: its queue's batch job (ADR 0038).
    const queue = applyQueueFor((event!.data.object as { id?: string }).id, event!.id);
    await db.$queryRaw`SELECT graphile_worker.remove_job(${queue})`;
    await runJob('requeue_events');
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: event!.id } })).status).toBe('received');
    await db.webhookEvent.update({
      where: { id: event!.id },
      data: { receivedAt: new Date(Date.now() - 5 * 60_000) },
    });
    await runJob('requeue_events');
    await waitApplied([event!.id]);
  });

  it('cleanup: deletes old rate-limit hits and idempotency keys, keeps recent ones', async () => {
    const key = `cleanup-${randomUUID()}`;
    await db.rateLimitHit.createMany({
      data: [
        { bucket: 'test', key, createdAt: new Date(Date.now() - 2 * 86_400_000) },
        { bucket: 'test', key, createdAt: new Date() },
      ],
    });
    await db.idempotencyKey.createMany({
      data: [
        {
          ownerId: key,
          key: 'old-key-1',
          route: 'test',
          bodyHash: 'x',
          createdAt: new Date(Date.now() - 25 * 3_600_000),
        },
        { ownerId: key, key: 'new-key-1', route: 'test', bodyHash: 'x' },
      ],
    });
    await runJob('cleanup');
    expect(await db.rateLimitHit.count({ where: { key } })).toBe(1);
    expect((await db.idempotencyKey.findMany({ where: { ownerId: key } })).map((k) => k.key)).toEqual([
      'new-key-1',
    ]);
  });

  it('dunning_downgrade: due at the grace end (in Stripe time), emails once, and runs early without effect', async () => {
    const user = await createUser();
    const { customer, advanceDays } = await customerOnClock(user.id);
    await stripe().subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('starter_monthly') }],
    });
    const failing = await stripe().paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customer.id,
    });
    await stripe().customers.update(customer.id, {
      invoice_settings: { default_payment_method: failing.id },
    });
    await catchUp(customer.id);
    await advanceDays(31.1);
    await catchUp(customer.id);
    const subscription = await db.subscription.findFirstOrThrow({ where: { workspaceId: user.workspaceId } });
    expect(subscription.status).toBe('past_due');
    const scheduled = await jobByKey(`dunning:${subscription.id}`);
    const daysAway = (scheduled!.run_at.getTime() - Date.now()) / 86_400_000;
    expect(daysAway).toBeGreaterThan(4);
    expect(daysAway).toBeLessThan(8);

    // Run early: still in grace, nothing sent, the job puts itself back.
    await runJob('dunning_downgrade', { subscriptionId: subscription.id });
    expect(await subjects(user.email)).not.toContain('Your premium features are paused');
    expect(await jobByKey(`dunning:${subscription.id}`)).not.toBeNull();

    // The test clock passes the grace end: the next event makes the job due and it runs.
    await advanceDays(8);
    await catchUp(customer.id);
    runners.push(await startTestWorker());
    await waitFor(
      async () => (await subjects(user.email)).includes('Your premium features are paused'),
      30_000,
      'the downgrade email',
    );
    await runJob('dunning_downgrade', { subscriptionId: subscription.id }); // again: no second email
    expect((await subjects(user.email)).filter((s) => s === 'Your premium features are paused')).toHaveLength(
      1,
    );
  });

  it('dunning_downgrade: every one of 520 past_due subscriptions is downgraded (no LIMIT 500 stall)', async () => {
    const n = 520;
    const tag = randomUUID().slice(0, 8);
    const users = Array.from({ length: n }, (_, i) => ({
      id: `u_${tag}_${i}`,
      email: `dunning-${tag}-${i}@example.com`,
      referralCode: newReferralCode(),
    }));
    await db.user.createMany({ data: users });
    // Each user's personal workspace (made by the User trigger) owns their billing.
    const owned = new Map(
      (
        await db.workspace.findMany({
          where: { personalOfId: { in: users.map((u) => u.id) } },
          select: { id: true, personalOfId: true },
        })
      ).map((w) => [w.personalOfId, w.id]),
    );
    const since = new Date(Date.now() - 10 * 86_400_000);
    await db.customer.createMany({
      data: users.map((u, i) => ({
        id: `cus_${tag}_${i}`,
        workspaceId: owned.get(u.id)!,
        lastEventAt: since,
      })),
    });
    await db.subscription.createMany({
      data: users.map((u, i) => ({
        id: `sub_${tag}_${i}`,
        customerId: `cus_${tag}_${i}`,
        workspaceId: owned.get(u.id)!,
        status: 'past_due' as const,
        priceId: 'price_x',
        productId: 'prod_x',
        pastDueSince: since,
        stripeCreated: since,
        lastEventAt: since,
      })),
    });
    await db.$transaction(
      async (tx) => {
        for (let i = 0; i < n; i += 1) await scheduleDowngrade(tx, `sub_${tag}_${i}`, since, new Date());
      },
      { timeout: 60_000 },
    );
    runners.push(await startTestWorker(8));
    await waitFor(
      async () =>
        (await db.email.count({
          where: { to: { startsWith: `dunning-${tag}-` }, subject: 'Your premium features are paused' },
        })) === n,
      // ~15 s on an idle 2-core machine; generous for a loaded CI box.
      240_000,
      `${n} downgrade emails`,
    );
  }, 300_000);
});
