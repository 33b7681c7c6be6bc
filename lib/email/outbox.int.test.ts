import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { startSmtpServer } from '@/lib/testing/smtp';

// A real SMTP conversation (nodemailer → a loopback server) driven by the job queue.
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
  process.env.SMTP_URL = smtp.url;
  // env() parses once per module graph; an earlier import may have read it without SMTP_URL.
  (await import('@/lib/env')).resetEnvCache();
  // Jobs left by earlier files (emails they queued, events, retries) would keep
  // this file's workers busy or reach the SMTP server first: start from none.
  const { clearJobQueue } = await import('@/lib/testing/jobs');
  await clearJobQueue();
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

describe('email delivery on the job queue', () => {
  it('retries a send the SMTP server refuses, with backoff, and sends it once', async () => {
    const { startTestWorker, waitFor } = await import('@/lib/testing/jobs');
    const to = `retry-${Date.now()}@example.com`;
    smtp.failFor(to, 1); // only this email is refused, whatever else the worker sends
    expect(await queue(to, `test:retry:${to}`)).toBe(true);
    expect(await queue(to, `test:retry:${to}`)).toBe(false); // the same key queues nothing

    const runner = await startTestWorker(2);
    try {
      const failedOnce = await waitFor(
        async () => (await db.email.findFirst({ where: { to, error: { not: null } } })) ?? null,
        30_000,
        'the first attempt to fail',
      );
      expect(failedOnce.status).toBe('pending');
      expect(failedOnce.error).toMatch(/451/);
      // graphile-worker retries after exp(1) ≈ 2.7 s.
      const sent = await waitFor(
        async () => (await db.email.findFirst({ where: { to, status: 'sent' } })) ?? null,
        20_000,
        'the retry to send it',
      );
      expect(sent.error).toBeNull();
      expect(smtp.rejectedTo(to)).toBe(1);
      expect(smtp.sentTo(to)).toBe(1);
    } finally {
      await runner.stop();
    }
  });

  it('never sends a sent email twice, however many jobs or workers ask', async () => {
    const { deliverEmail } = await import('./outbox');
    const { addJob } = await import('@/lib/jobs/enqueue');
    const { startTestWorker, waitFor } = await import('@/lib/testing/jobs');
    const to = `once-${Date.now()}@example.com`;
    const key = `test:once:${to}`;
    await queue(to, key);
    // Concurrent claims: exactly one sends.
    const results = await Promise.all([deliverEmail(key), deliverEmail(key), deliverEmail(key)]);
    expect(results.filter((r) => r === 'sent')).toHaveLength(1);
    // Stray jobs for the same email (a replayed event, a requeue) find it sent and do nothing.
    await db.$transaction(async (tx) => {
      for (let i = 0; i < 3; i += 1) await addJob(tx, 'send_email', { key }, { jobKey: `stray:${key}:${i}` });
    });
    const runners = [await startTestWorker(2), await startTestWorker(2)];
    try {
      await waitFor(
        async () =>
          (
            await db.$queryRaw<Array<{ n: number }>>`
              SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key LIKE ${`stray:${key}:%`}`
          )[0]?.n === 0,
        15_000,
        'the stray jobs to run',
      );
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
    expect(smtp.sentTo(to)).toBe(1);
    expect((await db.email.findUniqueOrThrow({ where: { dedupeKey: key } })).status).toBe('sent');
  });
});
