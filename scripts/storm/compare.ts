// The storm's verdict: the mirror against Stripe's objects read back through the SDK, row for row,
// for every customer. Each difference is one line naming the object and the field.
import type Stripe from 'stripe';
import type { PrismaClient } from '../../lib/generated/prisma/client';
import { tallyChecks } from '../lib/tally-checks';

const DELETED_INVOICE = 'deleted';
const seconds = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : null);

function missing(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string } | null;
  return e?.statusCode === 404 || e?.code === 'resource_missing';
}

async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  return promise.catch((error: unknown) => {
    if (missing(error)) return null;
    throw error;
  });
}

function diff(out: string[], what: string, fields: Record<string, [unknown, unknown]>) {
  for (const [field, [mirror, stripe]] of Object.entries(fields)) {
    if (JSON.stringify(mirror) !== JSON.stringify(stripe))
      out.push(
        `${what}: ${field} is ${JSON.stringify(mirror)} in the mirror, ${JSON.stringify(stripe)} at Stripe`,
      );
  }
}

async function compareSubscriptions(
  out: string[],
  db: PrismaClient,
  s: Stripe,
  customerId: string,
  gone: boolean,
) {
  const stripeSubs = await s.subscriptions
    .list({ customer: customerId, status: 'all', limit: 100 })
    .autoPagingToArray({ limit: 1000 })
    .catch(() => [] as Stripe.Subscription[]);
  const mirrored = await db.subscription.findMany({ where: { customerId }, include: { items: true } });
  for (const row of mirrored) {
    const sub = stripeSubs.find((x) => x.id === row.id) ?? (await orNull(s.subscriptions.retrieve(row.id)));
    if (!sub) {
      out.push(`subscription ${row.id}: in the mirror, unknown to Stripe`);
      continue;
    }
    if (gone && row.status !== 'canceled')
      out.push(`subscription ${row.id}: ${row.status} for a deleted customer`);
    const plan = sub.items.data.find((i) => i.price.id === row.priceId) ?? null;
    diff(out, `subscription ${row.id}`, {
      status: [row.status, gone && sub.status !== 'canceled' ? 'canceled' : sub.status],
      cancelAtPeriodEnd: [row.cancelAtPeriodEnd, sub.cancel_at_period_end],
      planPriceOnStripe: [row.priceId, plan?.price.id ?? sub.items.data[0]?.price.id],
      quantity: [row.quantity, plan?.quantity ?? 1],
      currentPeriodEnd: [seconds(row.currentPeriodEnd), plan?.current_period_end ?? null],
      items: [
        row.items.map((i) => `${i.id}:${i.priceId}x${i.quantity}`).sort(),
        sub.items.data.map((i) => `${i.id}:${i.price.id}x${i.quantity ?? 1}`).sort(),
      ],
    });
  }
  for (const sub of stripeSubs) {
    if (!mirrored.some((row) => row.id === sub.id))
      out.push(`subscription ${sub.id}: at Stripe, not mirrored`);
  }
}

async function compareInvoices(out: string[], db: PrismaClient, s: Stripe, customerId: string) {
  const listed = await s.invoices
    .list({ customer: customerId, limit: 100 })
    .autoPagingToArray({ limit: 1000 })
    .catch(() => [] as Stripe.Invoice[]);
  const mirrored = await db.invoice.findMany({ where: { customerId } });
  for (const row of mirrored) {
    const invoice = listed.find((i) => i.id === row.id) ?? (await orNull(s.invoices.retrieve(row.id)));
    if (!invoice) {
      if (row.status !== DELETED_INVOICE)
        out.push(`invoice ${row.id}: ${row.status} in the mirror, deleted at Stripe`);
      continue;
    }
    diff(out, `invoice ${row.id}`, {
      status: [row.status, invoice.status],
      amountDue: [row.amountDue, invoice.amount_due],
      amountPaid: [row.amountPaid, invoice.amount_paid],
      amountRemaining: [row.amountRemaining, invoice.amount_remaining],
    });
  }
  // Every invoice Stripe shows (a draft included) is mirrored; a paid one also as a Payment.
  for (const invoice of listed) {
    if (!invoice.id) continue;
    if (!mirrored.some((row) => row.id === invoice.id))
      out.push(`invoice ${invoice.id}: at Stripe, not mirrored`);
    if (invoice.status === 'paid' && invoice.amount_paid > 0) {
      const payment = await db.payment.findUnique({ where: { invoiceId: invoice.id } });
      if (!payment) out.push(`invoice ${invoice.id}: paid at Stripe, no Payment row`);
    }
  }
}

async function comparePayments(out: string[], db: PrismaClient, s: Stripe, workspaceId: string) {
  const payments = await db.payment.findMany({ where: { workspaceId }, include: { refunds: true } });
  for (const payment of payments) {
    if (!payment.paymentIntentId) continue;
    const intent = await s.paymentIntents.retrieve(payment.paymentIntentId, { expand: ['latest_charge'] });
    const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
    const refunds = await s.refunds
      .list({ payment_intent: payment.paymentIntentId, limit: 100 })
      .autoPagingToArray({ limit: 1000 });
    diff(out, `payment ${payment.id} (${payment.paymentIntentId})`, {
      chargeId: [payment.chargeId, charge?.id ?? null],
      amountRefunded: [payment.amountRefunded, charge?.amount_refunded ?? 0],
      refunds: [
        payment.refunds.map((r) => `${r.id}:${r.amount}:${r.status}`).sort(),
        refunds.map((r) => `${r.id}:${r.amount}:${r.status}`).sort(),
      ],
    });
  }
}

async function compareEntitlements(
  out: string[],
  db: PrismaClient,
  s: Stripe,
  customerId: string,
  gone: boolean,
) {
  const mirrored = (await db.entitlement.findMany({ where: { customerId } })).map((e) => e.lookupKey).sort();
  const stripe = gone
    ? []
    : (await s.entitlements.activeEntitlements.list({ customer: customerId, limit: 100 })).data
        .map((e) => e.lookup_key)
        .sort();
  diff(out, `customer ${customerId}`, { entitlements: [mirrored, stripe] });
}

/** Every divergence between the mirror and Stripe, for every mirrored or expected customer. */
export async function compareAll(db: PrismaClient, s: Stripe, expected: string[]): Promise<string[]> {
  const out: string[] = [];
  const rows = await db.customer.findMany({ where: { sample: false } });
  for (const id of expected) {
    if (!rows.some((row) => row.id === id)) out.push(`customer ${id}: at Stripe, not mirrored`);
  }
  for (const row of rows) {
    const customer = await orNull(s.customers.retrieve(row.id));
    const gone = !customer || ('deleted' in customer && customer.deleted === true);
    diff(out, `customer ${row.id}`, {
      deleted: [row.deleted, gone],
      ...(customer && !gone ? { email: [row.email, (customer as Stripe.Customer).email] } : {}),
    });
    await compareSubscriptions(out, db, s, row.id, gone);
    await compareInvoices(out, db, s, row.id);
    await comparePayments(out, db, s, row.workspaceId);
    await compareEntitlements(out, db, s, row.id, gone);
    if (gone) {
      const workspace = await db.workspace.findUnique({
        where: { id: row.workspaceId },
        select: { id: true },
      });
      if (!workspace) out.push(`customer ${row.id}: its workspace vanished`);
    }
  }
  // The dashboard's trigger-kept tallies still equal the sums over the mirror (ADR 0022).
  for (const [name, sql] of Object.entries(tallyChecks)) {
    for (const r of await db.$queryRawUnsafe<Array<{ id: string }>>(sql))
      out.push(`${name}: differs at ${r.id}`);
  }
  return out;
}
