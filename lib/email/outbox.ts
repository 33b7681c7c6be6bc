import 'server-only';
import nodemailer from 'nodemailer';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import type { Tx } from '@/lib/db';
import { addJob } from '@/lib/jobs/enqueue';
import { log } from '@/lib/log';

export interface OutgoingEmail {
  /** What this email is about (an event or a state change): the same key is never sent twice. */
  dedupeKey: string;
  to: string;
  subject: string;
  text: string;
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

export type Delivery = 'sent' | 'recorded' | 'not pending';

/**
 * Send one queued email: the `send_email` job. The row is claimed (pending →
 * sending) before the SMTP call, so no other worker or retry sends it again;
 * a failed send puts it back to pending and throws, and the job queue retries
 * with backoff. After the last attempt it is marked failed. Without SMTP_URL
 * the email is only recorded (readable at /dev/outbox outside production).
 */
export async function deliverEmail(dedupeKey: string, lastAttempt = false): Promise<Delivery> {
  const claimed = await db.$queryRaw<Array<{ id: string; to: string; subject: string; text: string }>>`
    UPDATE "Email" SET status = 'sending' WHERE "dedupeKey" = ${dedupeKey} AND status = 'pending'
    RETURNING id, "to", subject, text`;
  const email = claimed[0];
  if (!email) return 'not pending';
  const { SMTP_URL, EMAIL_FROM } = env();
  try {
    if (SMTP_URL) {
      transport ??= nodemailer.createTransport(SMTP_URL);
      await transport.sendMail({ from: EMAIL_FROM, to: email.to, subject: email.subject, text: email.text });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error('email.send_failed', { email: email.id, lastAttempt, error: message });
    await db.email.update({
      where: { id: email.id },
      data: { status: lastAttempt ? 'failed' : 'pending', error: message.slice(0, 500) },
    });
    throw error;
  }
  await db.email.update({
    where: { id: email.id },
    data: { status: SMTP_URL ? 'sent' : 'recorded', sentAt: new Date(), error: null },
  });
  return SMTP_URL ? 'sent' : 'recorded';
}

/** The newest recorded emails, for the development outbox page. */
export async function recentEmails(take = 100) {
  return db.email.findMany({ orderBy: { createdAt: 'desc' }, take });
}
