import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { startSmtpServer } from '@/lib/testing/smtp';

// A real SMTP conversation (nodemailer → a loopback server) driven by the job queue.
// Tests wait for an end state (sent, a refusal the server counted), never for a
// state that only lasts until the next retry.
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
type Runner = Awaited<ReturnType<typeof import('@/lib/testing/jobs').startTestWorker>>;
const runners: Runner[] = [];
beforeAll(async () => {
  smtp = await startSmtpServer();
  process.env.SMTP_URL = smtp.url;
  // env() parses once per module graph; an earlier import may have read it without SMTP_URL.
  (await import('@/lib/env')).resetEnvCache();
  // This file has the database of its own project (jobs); still start from an empty queue.
  const { clearJobQueue } = await import('@/lib/testing/jobs');
  await clearJobQueue();
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  (await import('@/lib/env')).resetEnvCache();
  await smtp.stop();
});

async function queue(to: string, dedupeKey: string) {
  const { queueEmail } = await import('./outbox');
  return db.$transaction((tx) => queueEmail(tx, { dedupeKey, to, subject: 'Hello', text: 'Hi there' }));
}

async function worker(concurrency = 2) {
  const { startTestWorker } = await import('@/lib/testing/jobs');
  const runner = await startTestWorker(concurrency);
  runners.push(runner);
  return runner;
}

const emailOf = (dedupeKey: string) => db.email.findUniqueOrThrow({ where: { dedupeKey } });

describe('email delivery on the job queue', () => {
  it('a refused send goes back to pending with the server’s answer, and the next attempt sends it', async () => {
    const { deliverEmail } = await import('./outbox');
    const to = `refused-${Date.now()}@example.com`;
    const key = `test:refused:${to}`;
    smtp.failFor(to, 1);
    await queue(to, key);
    // The attempt a job would make, run here so the state between attempts can be read.
    await expect(deliverEmail(key)).rejects.toThrow(/451/);
    expect(await emailOf(key)).toMatchObject({ status: 'pending', claimedAt: null, sentAt: null });
    expect((await emailOf(key)).error).toMatch(/451/);
    expect(await deliverEmail(key)).toBe('sent');
    expect(await emailOf(key)).toMatchObject({ status: 'sent', error: null });
    expect([smtp.rejectedTo(to), smtp.sentTo(to)]).toEqual([1, 1]);
  });

  it('the job queue retries a refused send with backoff, and sends it once', async () => {
    const { waitFor } = await import('@/lib/testing/jobs');
    const to = `retry-${Date.now()}@example.com`;
    const key = `test:retry:${to}`;
    smtp.failFor(to, 1); // only this email is refused, whatever else the worker sends
    expect(await queue(to, key)).toBe(true);
    expect(await queue(to, key)).toBe(false); // the same key queues nothing

    await worker();
    const sent = await waitFor(
      async () => (await db.email.findFirst({ where: { dedupeKey: key, status: 'sent' } })) ?? null,
      60_000,
      'the retry to send it',
    );
    expect(sent.error).toBeNull();
    expect(smtp.rejectedTo(to)).toBe(1);
    expect(smtp.sentTo(to)).toBe(1);
    // graphile-worker waits exp(1) ≈ 2.7 s before the second attempt.
    const gap = smtp.messagesTo(to)[0]!.at - smtp.rejectionsOf(to)[0]!;
    expect(gap).toBeGreaterThanOrEqual(2_000);
  });

  it('never sends a sent email twice, however many jobs or workers ask', async () => {
    const { deliverEmail } = await import('./outbox');
    const { addJob } = await import('@/lib/jobs/enqueue');
    const { waitFor } = await import('@/lib/testing/jobs');
    const to = `once-${Date.now()}@example.com`;
    const key = `test:once:${to}`;
    await queue(to, key);
    // Concurrent claims: exactly one sends; the others see it claimed (or sent).
    const results = await Promise.allSettled([deliverEmail(key), deliverEmail(key), deliverEmail(key)]);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === 'sent')).toHaveLength(1);
    // Stray jobs for the same email (a replayed event, a requeue) find it sent and do nothing.
    await db.$transaction(async (tx) => {
      for (let i = 0; i < 3; i += 1) await addJob(tx, 'send_email', { key }, { jobKey: `stray:${key}:${i}` });
    });
    await worker();
    await worker();
    await waitFor(
      async () =>
        (
          await db.$queryRaw<Array<{ n: number }>>`
            SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key LIKE ${`stray:${key}:%`}`
        )[0]?.n === 0,
      30_000,
      'the stray jobs to run',
    );
    expect(smtp.sentTo(to)).toBe(1);
    expect((await emailOf(key)).status).toBe('sent');
  });
});

describe('the email claim timeout', () => {
  it('an email whose worker was killed mid-send is sent by another once its claim expires', async () => {
    const { EmailInProgress, deliverEmail, requeueStuckEmails } = await import('./outbox');
    const { unlockDeadWorkers } = await import('@/lib/jobs/stale');
    const { jobByKey, killHard, spawnWorkerProcess, waitFor } = await import('@/lib/testing/jobs');
    const to = `killed-${Date.now()}@example.com`;
    const key = `test:killed:${to}`;
    smtp.holdFor(to); // the SMTP server never answers: the send hangs mid-conversation
    await queue(to, key);

    const child = spawnWorkerProcess({ SMTP_URL: smtp.url });
    try {
      await waitFor(async () => smtp.heldTo(to) > 0, 60_000, 'the worker process to start sending');
      expect((await emailOf(key)).status).toBe('sending');
    } finally {
      await killHard(child);
    }
    smtp.release(to);

    // A live worker leaves it alone: the job is still locked by the dead worker, and a claim
    // younger than the timeout may belong to a worker that is still sending.
    await worker();
    await expect(deliverEmail(key)).rejects.toThrow(EmailInProgress);
    expect(await requeueStuckEmails()).toBe(0); // its job still exists
    expect((await emailOf(key)).status).toBe('sending');
    expect(smtp.sentTo(to)).toBe(0);

    // Five minutes later (the claim is made older instead of waiting), requeue_events frees
    // the dead worker's job and the job claims the email again.
    await db.$executeRaw`UPDATE "Email" SET "claimedAt" = "claimedAt" - interval '6 minutes' WHERE "dedupeKey" = ${key}`;
    expect(await unlockDeadWorkers(0)).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await emailOf(key)).status === 'sent', 60_000, 'the email to be sent');
    expect(smtp.sentTo(to)).toBe(1);
    expect(smtp.heldTo(to)).toBe(1);
    expect(await jobByKey(`email:${key}`)).toBeNull();
  });

  it('requeue_events queues again an email stuck in sending whose job is gone', async () => {
    const { requeueStuckEmails } = await import('./outbox');
    const { jobByKey, waitFor } = await import('@/lib/testing/jobs');
    const to = `lost-${Date.now()}@example.com`;
    const key = `test:lost:${to}`;
    await queue(to, key);
    // A worker claimed it and died, and its job was lost (used up, or removed by hand).
    await db.$executeRaw`UPDATE "Email" SET status = 'sending', "claimedAt" = (now() AT TIME ZONE 'UTC') - interval '6 minutes' WHERE "dedupeKey" = ${key}`;
    await db.$executeRaw`SELECT graphile_worker.remove_job(${`email:${key}`})`;
    expect(await jobByKey(`email:${key}`)).toBeNull();

    expect(await requeueStuckEmails()).toBe(1);
    expect(await requeueStuckEmails()).toBe(0); // its job is there now
    await worker();
    await waitFor(async () => (await emailOf(key)).status === 'sent', 60_000, 'the email to be sent');
    expect(smtp.sentTo(to)).toBe(1);
  });
});
