import 'server-only';
import nodemailer from 'nodemailer';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import type { Tx } from '@/lib/db';
import { log } from '@/lib/log';

export interface OutgoingEmail {
  /** What this email is about (an event or a state change): the same key is never sent twice. */
  dedupeKey: string;
  to: string;
  subject: string;
  text: string;
}

/** Queue an email inside the caller's transaction; it is sent after commit, once per dedupeKey. */
export async function queueEmail(tx: Tx, email: OutgoingEmail): Promise<boolean> {
  const { count } = await tx.email.createMany({ data: [email], skipDuplicates: true });
  return count === 1;
}

let transport: nodemailer.Transporter | undefined;

/**
 * Send what is queued. Rows are claimed with SKIP LOCKED so several app
 * instances never send the same email. Without SMTP_URL the email is only
 * recorded (readable at /dev/outbox outside production).
 */
export async function deliverPendingEmails(limit = 20): Promise<number> {
  const claimed = await db.$queryRaw<Array<{ id: string; to: string; subject: string; text: string }>>`
    UPDATE "Email" SET status = 'sending'
    WHERE id IN (SELECT id FROM "Email" WHERE status = 'pending' ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id, "to", subject, text`;
  const { SMTP_URL, EMAIL_FROM } = env();
  for (const email of claimed) {
    try {
      if (SMTP_URL) {
        transport ??= nodemailer.createTransport(SMTP_URL);
        await transport.sendMail({
          from: EMAIL_FROM,
          to: email.to,
          subject: email.subject,
          text: email.text,
        });
      }
      await db.email.update({
        where: { id: email.id },
        data: { status: SMTP_URL ? 'sent' : 'recorded', sentAt: new Date(), error: null },
      });
    } catch (error) {
      log.error('email.send_failed', {
        email: email.id,
        error: error instanceof Error ? error.message : String(error),
      });
      await db.email.update({
        where: { id: email.id },
        data: { status: 'pending', error: String(error).slice(0, 500) },
      });
    }
  }
  return claimed.length;
}
