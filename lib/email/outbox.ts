import 'server-only';
import nodemailer from 'nodemailer';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import type { Tx } from '@/lib/db';
import { addJob } from '@/lib/jobs/enqueue';
import { invoiceAttachment } from '@/lib/invoicing/document';
import { log } from '@/lib/log';

export interface OutgoingEmail {
  /** What this email is about (an event or a state change): the same key is never sent twice. */
  dedupeKey: string;
  to: string;
  subject: string;
  text: string;
  /** A client invoice whose PDF is attached (rendered when the email is sent). */
  attachClientInvoiceId?: string;
}

/** Attempts of a `send_email` job (backoff exp(n) s: the last one about 6 hours after the first). */
export const EMAIL_MAX_ATTEMPTS = 10;

/**
 * Queue an email inside the caller's transaction: the row and its `send_email`
 * job commit together, once per dedupeKey. Returns whether it was new.
 */
export async function queueEmail(tx: Tx, email: OutgoingEmail): Promise<boolean> {
  const { count } = await tx.email.createMany({ data: [email], skipDuplicates: true });
  if (count !== 1) return false;
  await addJob(
    tx,
    'send_email',
    { key: email.dedupeKey },
    { jobKey: `email:${email.dedupeKey}`, maxAttempts: EMAIL_MAX_ATTEMPTS },
  );
  return true;
}

let transport: nodemailer.Transporter | undefined;

/** No SMTP conversation takes longer: after this the attempt counts as failed (and is retried). */
export const SEND_TIMEOUT_MS = 2 * 60_000;

/**
 * A claim older than this belongs to a worker that died mid-send: the email
 * may be claimed again. Longer than any send can last (SEND_TIMEOUT_MS), so a
 * live worker's claim is never taken from it.
 */
export const EMAIL_CLAIM_TIMEOUT_MS = 5 * 60_000;

export type Delivery = 'sent' | 'recorded' | 'not pending';

/** Another worker is sending this email right now; the job retries later. */
export class EmailInProgress extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`SMTP send took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Send one queued email: the `send_email` job. The row is claimed (pending →
 * sending, with claimedAt) before the SMTP call, so no other worker or retry
 * sends it while it is being sent; a failed send puts it back to pending and
 * throws, and the job queue retries with backoff. After the last attempt it is
 * marked failed. Without SMTP_URL the email is only recorded (readable at
 * /dev/outbox outside production).
 *
 * At least once, not exactly once: a worker killed after the SMTP server took
 * the message but before `sent` was written leaves the row `sending`; after
 * EMAIL_CLAIM_TIMEOUT_MS the job (freed by requeue_events) claims it again and
 * sends it a second time. SMTP offers no way to ask whether a message arrived,
 * and losing a payment-failed notice is worse than a rare duplicate.
 */
export async function deliverEmail(
  dedupeKey: string,
  lastAttempt = false,
  claimTimeoutMs = EMAIL_CLAIM_TIMEOUT_MS,
): Promise<Delivery> {
  const claimed = await db.$queryRaw<
    Array<{ id: string; to: string; subject: string; text: string; attachClientInvoiceId: string | null }>
  >`
    UPDATE "Email" SET status = 'sending', "claimedAt" = now() AT TIME ZONE 'UTC'
    WHERE "dedupeKey" = ${dedupeKey} AND (status = 'pending' OR (status = 'sending'
      AND "claimedAt" < (now() AT TIME ZONE 'UTC') - ${claimTimeoutMs} * interval '1 millisecond'))
    RETURNING id, "to", subject, text, "attachClientInvoiceId"`;
  const email = claimed[0];
  if (!email) {
    const row = await db.email.findUnique({ where: { dedupeKey }, select: { status: true } });
    // Claimed by a worker that may still be sending: try again once its claim has expired.
    if (row?.status === 'sending')
      throw new EmailInProgress(`email ${dedupeKey} is being sent by another worker`);
    return 'not pending';
  }
  const { SMTP_URL, EMAIL_FROM } = env();
  try {
    if (SMTP_URL) {
      transport ??= nodemailer.createTransport({
        url: SMTP_URL,
        connectionTimeout: 30_000,
        greetingTimeout: 30_000,
        socketTimeout: 60_000,
      });
      const attachment = email.attachClientInvoiceId
        ? await invoiceAttachment(email.attachClientInvoiceId)
        : null;
      await withTimeout(
        transport.sendMail({
          from: EMAIL_FROM,
          to: email.to,
          subject: email.subject,
          text: email.text,
          attachments: attachment ? [{ ...attachment, contentType: 'application/pdf' }] : [],
        }),
        SEND_TIMEOUT_MS,
      );
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error('email.send_failed', { email: email.id, lastAttempt, error: message });
    await db.email.update({
      where: { id: email.id },
      data: { status: lastAttempt ? 'failed' : 'pending', claimedAt: null, error: message.slice(0, 500) },
    });
    throw error;
  }
  await db.email.update({
    where: { id: email.id },
    data: { status: SMTP_URL ? 'sent' : 'recorded', sentAt: new Date(), error: null },
  });
  return SMTP_URL ? 'sent' : 'recorded';
}

/**
 * Queue again every email left `sending` past its claim timeout, or `pending`
 * for over a minute, whose `send_email` job is gone or used up (the
 * `requeue_events` cron). One whose job waits (a retry with backoff) is left
 * alone. Returns how many were queued.
 */
export async function requeueStuckEmails(claimTimeoutMs = EMAIL_CLAIM_TIMEOUT_MS): Promise<number> {
  const rows = await db.$queryRaw<Array<{ queued: number }>>`
    SELECT count(graphile_worker.add_job('send_email', json_build_object('key', e."dedupeKey"),
      job_key := 'email:' || e."dedupeKey", max_attempts := ${EMAIL_MAX_ATTEMPTS}::int))::int AS queued
    FROM "Email" e
    WHERE ((e.status = 'sending' AND e."claimedAt" < (now() AT TIME ZONE 'UTC') - ${claimTimeoutMs} * interval '1 millisecond')
        OR (e.status = 'pending' AND e."createdAt" < (now() AT TIME ZONE 'UTC') - interval '1 minute'))
      AND NOT EXISTS (SELECT 1 FROM graphile_worker.jobs j
        WHERE j.key = 'email:' || e."dedupeKey" AND j.attempts < j.max_attempts)`;
  return rows[0]?.queued ?? 0;
}

/** The newest recorded emails, for the development outbox page. */
export async function recentEmails(take = 100) {
  return db.email.findMany({ orderBy: { createdAt: 'desc' }, take });
}
