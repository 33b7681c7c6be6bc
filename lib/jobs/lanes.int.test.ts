import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { db } from '@/lib/db';
import { queueEmail } from '@/lib/email/outbox';
import { eventsOfCustomer } from '@/lib/testing/fixtures';
import { customerWithHistory } from '@/lib/testing/histories';
import { clearJobQueue, killHard, spawnWorkerProcess, waitApplied, waitFor } from '@/lib/testing/jobs';
import { startSmtpServer } from '@/lib/testing/smtp';
import { signedRequest } from '@/lib/testing/webhooks';

// ADR 0039: `npm run worker` (and `next start`) run applying and the other jobs in separate lanes,
// so a job waiting on the mail server or Stripe never holds up webhook events.
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
  await clearJobQueue();
});
afterAll(async () => {
  await smtp.stop();
});

describe('the worker’s lanes', () => {
  it('events are applied while every general slot is stuck on an SMTP server that never answers', async () => {
    const to = `stuck-${Date.now()}@example.com`;
    const key = `test:lanes:${to}`;
    smtp.holdFor(to);
    await db.$transaction((tx) => queueEmail(tx, { dedupeKey: key, to, subject: 'Hello', text: 'Hi' }));
    // One general slot (JOBS_CONCURRENCY=1), taken by the send that hangs mid-conversation.
    const child = spawnWorkerProcess({ SMTP_URL: smtp.url, JOBS_CONCURRENCY: '1' });
    try {
      await waitFor(async () => smtp.heldTo(to) > 0, 60_000, 'the worker to start sending');

      const { customer } = await customerWithHistory();
      const events = await eventsOfCustomer(customer.id);
      for (const event of events) {
        const response = await receiveWebhook(signedRequest(JSON.stringify(event)));
        expect(response.status).toBe(200);
      }
      // Far sooner than the send's socket timeout (60 s), after which the one slot would be free.
      await waitApplied(
        events.map((e) => e.id),
        20_000,
      );
      expect((await db.email.findUniqueOrThrow({ where: { dedupeKey: key } })).status).toBe('sending');
      expect(smtp.sentTo(to)).toBe(0);
    } finally {
      await killHard(child);
      smtp.release(to);
    }
  });
});
