import 'server-only';
import { randomBytes } from 'node:crypto';
import { BillingError } from '@/lib/billing/errors';
import { db, type Tx } from '@/lib/db';
import { queueEmail } from '@/lib/email/outbox';
import { env } from '@/lib/env';
import { type Cursor, newestFirst, seekAfter, toPage } from '@/lib/pagination';
import { type InvoiceInput, invoiceNumber } from './inputs';
import { MAX_TOTAL, statusOf, totalsOf } from './money';
import { invoiceEmail } from './emails';

// A workspace's client invoices: the draft, sending and voiding. Payments and their states come
// only from webhooks (events.ts). Every query is scoped by the workspace.

/** The next number of the workspace's sequence, under its row lock until the caller commits. */
export async function takeInvoiceNumber(tx: Tx, workspaceId: string): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ number: number }>>`
    INSERT INTO "ClientInvoiceSequence" ("workspaceId", next) VALUES (${workspaceId}, 2)
    ON CONFLICT ("workspaceId") DO UPDATE SET next = "ClientInvoiceSequence".next + 1
    RETURNING next - 1 AS number`;
  return rows[0]!.number;
}

const TX_WAIT = { maxWait: 10_000, timeout: 10_000 };

function checkedTotals(input: InvoiceInput) {
  const totals = totalsOf(input.lines, input.taxRate, input.deposit);
  if (totals.total <= 0) throw new BillingError(400, 'The invoice total must be more than zero.');
  if (totals.total > MAX_TOTAL)
    throw new BillingError(400, 'The invoice total is more than Stripe accepts in one payment (999,999.99).');
  if (input.deposit?.kind === 'amount' && input.deposit.value >= totals.total)
    throw new BillingError(400, 'The deposit must be less than the invoice total.');
  if (input.deposit && totals.depositAmount === 0)
    throw new BillingError(
      400,
      'The deposit rounds to nothing or to the whole total; change it or remove it.',
    );
  return totals;
}

async function ownClient(tx: Tx, workspaceId: string, clientId: string) {
  const client = await tx.client.findFirst({ where: { id: clientId, workspaceId }, select: { id: true } });
  if (!client) throw new BillingError(400, 'Choose one of your clients.');
}

function invoiceData(input: InvoiceInput, totals: ReturnType<typeof totalsOf>) {
  return {
    clientId: input.clientId,
    currency: input.currency,
    taxRateBps: input.taxRate,
    dueDate: input.dueDate,
    notes: input.notes,
    depositKind: input.deposit?.kind ?? null,
    depositValue: input.deposit?.value ?? null,
    subtotal: totals.subtotal,
    tax: totals.tax,
    total: totals.total,
    depositAmount: totals.depositAmount,
  };
}

function linesData(input: InvoiceInput) {
  return input.lines.map((line, position) => ({
    position,
    description: line.description,
    quantity: line.quantity,
    unitAmount: line.unitAmount,
    amount: line.quantity * line.unitAmount,
  }));
}

/** A draft with its number; the number is taken in the same transaction, so none is skipped. */
export async function createInvoice(workspaceId: string, input: InvoiceInput) {
  const totals = checkedTotals(input);
  return db.$transaction(async (tx) => {
    await ownClient(tx, workspaceId, input.clientId);
    const number = await takeInvoiceNumber(tx, workspaceId);
    return tx.clientInvoice.create({
      data: {
        workspaceId,
        number,
        payToken: randomBytes(32).toString('base64url'),
        ...invoiceData(input, totals),
        lines: { create: linesData(input) },
      },
      select: { id: true, number: true },
    });
    // A burst of creations queues on the sequence row (held only for the two inserts): wait for
    // a connection and the lock rather than fail.
  }, TX_WAIT);
}

/** Lock the workspace's invoice row, or 404 (another workspace's invoice is a missing one). */
async function lockInvoice(tx: Tx, workspaceId: string, invoiceId: string) {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "ClientInvoice" WHERE id = ${invoiceId} AND "workspaceId" = ${workspaceId} FOR UPDATE`;
  if (!rows[0]) throw new BillingError(404, 'Not found');
  return tx.clientInvoice.findUniqueOrThrow({ where: { id: invoiceId } });
}

export async function updateDraft(workspaceId: string, invoiceId: string, input: InvoiceInput) {
  const totals = checkedTotals(input);
  await db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, workspaceId, invoiceId);
    if (invoice.sentAt || invoice.voidedAt) throw new BillingError(409, 'Only a draft can be edited.');
    await ownClient(tx, workspaceId, input.clientId);
    await tx.clientInvoiceLine.deleteMany({ where: { invoiceId } });
    await tx.clientInvoice.update({
      where: { id: invoiceId },
      data: { ...invoiceData(input, totals), lines: { create: linesData(input) } },
    });
  });
}

export function payUrl(token: string): string {
  return new URL(`/pay/${token}`, env().APP_URL).toString();
}

/**
 * Send a draft: it becomes payable and its email (link + PDF) is queued in the same transaction,
 * once per invoice (a double click sends one email).
 */
export async function sendInvoice(workspaceId: string, invoiceId: string): Promise<'sent' | 'already sent'> {
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, workspaceId, invoiceId);
    if (invoice.voidedAt) throw new BillingError(409, 'A void invoice cannot be sent.');
    if (invoice.sentAt) return 'already sent';
    const sentAt = new Date();
    const status = statusOf({ ...invoice, sentAt }, sentAt);
    await tx.clientInvoice.update({ where: { id: invoiceId }, data: { sentAt, status } });
    const [client, workspace] = await Promise.all([
      tx.client.findUniqueOrThrow({ where: { id: invoice.clientId }, select: { name: true, email: true } }),
      tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { name: true } }),
    ]);
    await queueEmail(tx, {
      dedupeKey: `client-invoice:${invoiceId}:sent`,
      to: client.email,
      attachClientInvoiceId: invoiceId,
      ...invoiceEmail({ ...invoice, client, workspace, url: payUrl(invoice.payToken) }),
    });
    return 'sent';
  });
}

/** Void an invoice nothing was paid on; its pay link stops working. */
export async function voidInvoice(
  workspaceId: string,
  invoiceId: string,
): Promise<{ openSession: string | null }> {
  return db.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, workspaceId, invoiceId);
    if (invoice.voidedAt) return { openSession: null };
    if (invoice.amountPaid > 0)
      throw new BillingError(409, 'This invoice has payments: refund them instead of voiding it.');
    await tx.clientInvoice.update({
      where: { id: invoiceId },
      data: { voidedAt: new Date(), status: 'void', checkoutSessionId: null, checkoutUrl: null },
    });
    return { openSession: invoice.checkoutSessionId };
  });
}

export async function listInvoices(workspaceId: string, cursor: Cursor | null, limit = 25) {
  const rows = await db.clientInvoice.findMany({
    where: { workspaceId, ...seekAfter('createdAt', cursor) },
    orderBy: newestFirst('createdAt'),
    take: limit + 1,
    select: {
      id: true,
      number: true,
      status: true,
      currency: true,
      total: true,
      amountPaid: true,
      dueDate: true,
      createdAt: true,
      client: { select: { name: true } },
    },
  });
  return toPage(rows, limit, (row) => row.createdAt);
}

const detail = {
  client: { select: { id: true, name: true, email: true, address: true } },
  lines: { orderBy: { position: 'asc' as const } },
  payments: { orderBy: { paidAt: 'asc' as const } },
  workspace: { select: { name: true } },
};

export async function invoiceOf(workspaceId: string, invoiceId: string) {
  if (!/^[a-z0-9]{1,64}$/.test(invoiceId)) return null;
  return db.clientInvoice.findFirst({ where: { id: invoiceId, workspaceId }, include: detail });
}

/** The invoice behind a pay link; void invoices and drafts have no public page. */
export async function invoiceByToken(token: string) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const invoice = await db.clientInvoice.findUnique({ where: { payToken: token }, include: detail });
  return invoice && invoice.sentAt && !invoice.voidedAt ? invoice : null;
}

export type InvoiceDetail = NonNullable<Awaited<ReturnType<typeof invoiceOf>>>;
export { invoiceNumber };
