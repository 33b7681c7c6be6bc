import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { connectedWorkspace, draftInvoice } from '@/lib/testing/invoicing';
import { remindOverdueInvoices } from './reminders';
import { sendInvoice } from './service';

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

async function sentInvoice(dueDate: string) {
  const ws = await connectedWorkspace();
  const { id } = await draftInvoice(ws.workspaceId, ws.client.id, { dueDate });
  await sendInvoice(ws.workspaceId, id);
  return { ...ws, id };
}

const reminders = (to: string) =>
  db.email.findMany({ where: { to, subject: { startsWith: 'Reminder:' } }, orderBy: { createdAt: 'asc' } });

describe('overdue reminders', () => {
  it('marks a past-due invoice overdue and reminds its client once, however often the job runs that day', async () => {
    const { id, client } = await sentInvoice(day(-2));
    const notDue = await sentInvoice(day(0));
    const now = new Date();
    await Promise.all([remindOverdueInvoices(now), remindOverdueInvoices(now), remindOverdueInvoices(now)]);
    expect(await db.clientInvoice.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'overdue' });
    const sent = await reminders(client.email);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('$440.00 of $440.00 is still open');
    expect(sent[0]!.text).toMatch(/\/pay\/[A-Za-z0-9_-]{43}/);
    // Due today is not overdue yet.
    expect(await db.clientInvoice.findUniqueOrThrow({ where: { id: notDue.id } })).toMatchObject({
      status: 'sent',
    });
    expect(await reminders(notDue.client.email)).toHaveLength(0);
  });

  it('reminds again a week later, not the next day; a void invoice gets none', async () => {
    const { id, client } = await sentInvoice(day(-1));
    await remindOverdueInvoices(new Date());
    await remindOverdueInvoices(new Date(Date.now() + DAY));
    expect(await reminders(client.email)).toHaveLength(1);
    await remindOverdueInvoices(new Date(Date.now() + 7 * DAY));
    expect(await reminders(client.email)).toHaveLength(2);

    const voided = await sentInvoice(day(-3));
    await db.clientInvoice.update({
      where: { id: voided.id },
      data: { voidedAt: new Date(), status: 'void' },
    });
    await remindOverdueInvoices(new Date());
    expect(await reminders(voided.client.email)).toHaveLength(0);
    expect((await db.clientInvoice.findUniqueOrThrow({ where: { id } })).remindedOn).not.toBeNull();
  });
});
