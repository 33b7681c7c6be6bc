import 'server-only';
import { db } from '@/lib/db';
import { queueEmail } from '@/lib/email/outbox';
import { reminderEmail } from './emails';
import { refreshInvoice } from './events';
import { utcDay } from './money';
import { payUrl } from './service';

// The daily `remind_overdue_invoices` job: an unpaid invoice past its due date becomes overdue, and
// its client gets a reminder, at most one every REMINDER_EVERY_DAYS days. The email's dedupe key
// holds the invoice and the UTC day, and `remindedOn` is written in the same transaction, so a
// run repeated the same day (a retry, two workers, a catch-up after downtime) sends nothing more.

export const REMINDER_EVERY_DAYS = 7;
const BATCH = 200;
const DAY_MS = 86_400_000;

export async function remindOverdueInvoices(
  now = new Date(),
): Promise<{ overdue: number; reminded: number }> {
  const today = utcDay(now);
  const lastRemindedBefore = new Date(today.getTime() - (REMINDER_EVERY_DAYS - 1) * DAY_MS);
  let overdue = 0;
  let reminded = 0;
  let after = '';
  for (;;) {
    // Unpaid, sent, past due (the status index), in id order so a batch never repeats.
    const batch = await db.clientInvoice.findMany({
      where: {
        status: { in: ['sent', 'deposit_paid', 'overdue'] },
        dueDate: { lt: today },
        id: { gt: after },
      },
      orderBy: { id: 'asc' },
      take: BATCH,
      select: { id: true },
    });
    for (const { id } of batch) {
      const sent = await db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM "ClientInvoice" WHERE id = ${id} FOR UPDATE`;
        const invoice = await refreshInvoice(tx, id, now);
        if (invoice.status !== 'overdue') return null;
        overdue += 1;
        if (invoice.remindedOn && invoice.remindedOn >= lastRemindedBefore) return false;
        const [client, workspace] = await Promise.all([
          tx.client.findUniqueOrThrow({
            where: { id: invoice.clientId },
            select: { name: true, email: true },
          }),
          tx.workspace.findUniqueOrThrow({ where: { id: invoice.workspaceId }, select: { name: true } }),
        ]);
        await tx.clientInvoice.update({ where: { id }, data: { remindedOn: today } });
        return queueEmail(tx, {
          dedupeKey: `client-invoice:${id}:reminder:${today.toISOString().slice(0, 10)}`,
          to: client.email,
          ...reminderEmail({ ...invoice, client, workspace, url: payUrl(invoice.payToken) }),
        });
      });
      if (sent) reminded += 1;
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1]!.id;
  }
  return { overdue, reminded };
}
