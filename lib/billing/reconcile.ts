import 'server-only';
import type Stripe from 'stripe';
import { applyPaymentFacts, lockPayment } from '@/lib/billing/credits/settle';
import { idOf } from '@/lib/billing/ids';
import { applyEntitlements } from '@/lib/billing/mirror/entitlements';
import { markCustomerDeleted, workspaceOfMetadata } from '@/lib/billing/mirror/customer';
import { isMissing, lockObject, stripeSecond } from '@/lib/billing/mirror/guard';
import { applyDispute } from '@/lib/billing/mirror/dispute';
import { applyInvoice, DELETED } from '@/lib/billing/mirror/invoice';
import { recordInvoicePayment } from '@/lib/billing/mirror/invoice-payment';
import { applyRefund } from '@/lib/billing/mirror/refund';
import { withRetry } from '@/lib/billing/mirror/retry';
import { applySubscription } from '@/lib/billing/mirror/subscription';
import { stripe as stripeClient } from '@/lib/billing/stripe';
import type { HandlerContext } from '@/lib/billing/mirror/context';
import { db } from '@/lib/db';
import { repairSeatQuantities } from '@/lib/workspaces/seats';

// Reconciliation: fetch everything about a customer from Stripe again and
// repair the mirror. Each object is read again and written under the same
// per-object lock as the webhook handlers ('refetched' mode), in the lock
// order of guard.ts, so it can run while webhooks arrive without either
// undoing the other.

type Snapshot = Map<string, string>;

async function snapshot(workspaceId: string): Promise<Snapshot> {
  const [customer, subscriptions, invoices, payments, refunds, disputes] = await Promise.all([
    db.customer.findUnique({
      where: { workspaceId },
      select: {
        id: true,
        email: true,
        deleted: true,
        entitlements: { select: { lookupKey: true }, orderBy: { lookupKey: 'asc' } },
      },
    }),
    db.subscription.findMany({
      where: { workspaceId },
      omit: { createdAt: true, updatedAt: true, lastEventAt: true },
      include: { items: { orderBy: { id: 'asc' } } },
    }),
    db.invoice.findMany({
      where: { customer: { workspaceId } },
      omit: { createdAt: true, updatedAt: true, lastEventAt: true },
    }),
    db.payment.findMany({
      where: { workspaceId },
      select: {
        id: true,
        status: true,
        amount: true,
        amountRefunded: true,
        credits: true,
        kind: true,
        paymentIntentId: true,
        chargeId: true,
        invoiceId: true,
        checkoutSessionId: true,
      },
    }),
    db.refund.findMany({
      where: { payment: { workspaceId } },
      omit: { createdAt: true, updatedAt: true, lastEventAt: true },
    }),
    db.dispute.findMany({
      where: { payment: { workspaceId } },
      omit: { createdAt: true, updatedAt: true, lastEventAt: true },
    }),
  ]);
  const map: Snapshot = new Map();
  if (customer) map.set(`customer ${customer.id}`, JSON.stringify(customer));
  for (const row of subscriptions) map.set(`subscription ${row.id}`, JSON.stringify(row));
  for (const row of invoices) map.set(`invoice ${row.id}`, JSON.stringify(row));
  for (const row of payments) map.set(`payment ${row.id}`, JSON.stringify(row));
  for (const row of refunds) map.set(`refund ${row.id}`, JSON.stringify(row));
  for (const row of disputes) map.set(`dispute ${row.id}`, JSON.stringify(row));
  return map;
}

function changedFields(before: string, after: string): string[] {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  return Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

function describe(before: Snapshot, after: Snapshot): string[] {
  const changes: string[] = [];
  for (const [key, value] of after) {
    const old = before.get(key);
    if (old === undefined) changes.push(`restored ${key}`);
    else if (old !== value) changes.push(`repaired ${key} (${changedFields(old, value).join(', ')})`);
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push(`removed ${key}`);
  return changes;
}

/**
 * One object per transaction, retried on deadlock and serialization failure.
 * Writes are stamped with the whole second the transaction started, before
 * each object is read again under its lock (see stripeSecond).
 */
async function inTx<T>(client: Stripe, fn: (ctx: HandlerContext) => Promise<T>): Promise<T> {
  return withRetry(() =>
    db.$transaction((tx) => fn({ tx, stripe: client, eventAt: stripeSecond() }), {
      timeout: 60_000,
      maxWait: 10_000,
    }),
  );
}

/** Rebuild a credit purchase's Payment row from its checkout session (we put everything needed in its metadata). */
async function restorePaymentFromSession(
  ctx: HandlerContext,
  session: Stripe.Checkout.Session,
  workspaceId: string,
): Promise<void> {
  const paymentId = session.metadata?.payment_id;
  if (!paymentId || session.mode !== 'payment') return;
  const exists = await ctx.tx.payment.findUnique({ where: { id: paymentId }, select: { id: true } });
  if (!exists) {
    const amount = session.amount_total ?? 0;
    // The buyer, if their account still exists (metadata from before workspaces names only them).
    const buyerId = session.metadata?.user_id;
    const buyer = buyerId
      ? await ctx.tx.user.findUnique({ where: { id: buyerId }, select: { id: true } })
      : null;
    await ctx.tx.payment.create({
      data: {
        id: paymentId,
        workspaceId,
        buyerId: buyer?.id ?? null,
        kind: 'credits',
        amount,
        currency: session.currency ?? 'usd',
        credits: Number(session.metadata?.credits ?? amount),
        packKey: session.metadata?.pack || null,
        description: session.metadata?.description || null,
        checkoutSessionId: session.id,
        checkoutUrl: session.url,
        expiresAt: new Date(session.expires_at * 1000),
        createdAt: new Date(session.created * 1000),
      },
    });
  }
  const payment = await lockPayment(ctx.tx, { id: paymentId });
  if (!payment) return;
  const intentId = idOf(session.payment_intent);
  const intent = intentId
    ? await ctx.stripe.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] })
    : null;
  const charge = intent && typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  const paid = session.payment_status === 'paid' || intent?.status === 'succeeded';
  await applyPaymentFacts(ctx.tx, payment, {
    ...(paid
      ? { completedAt: new Date((charge?.created ?? intent?.created ?? session.created) * 1000) }
      : {}),
    ...(session.status === 'expired' ? { unpaidStatus: 'expired' as const } : {}),
    ...(paid
      ? {
          collected: intent
            ? { amount: intent.amount_received, currency: intent.currency }
            : { amount: session.amount_total ?? 0, currency: session.currency ?? '' },
        }
      : {}),
    paymentIntentId: intentId,
    chargeId: charge?.id ?? null,
    cardFingerprint: charge?.payment_method_details?.card?.fingerprint ?? null,
    amountRefunded: charge?.amount_refunded ?? 0,
    refundedIsCurrent: true,
  });
}

export async function reconcileCustomer(
  customerId: string,
  client: Stripe = stripeClient(),
): Promise<string[]> {
  const mirrored = await db.customer.findUnique({
    where: { id: customerId },
    select: { workspaceId: true },
  });
  const customer = await client.customers.retrieve(customerId).catch((error: unknown) => {
    if (isMissing(error)) return null;
    throw error;
  });
  const gone = !customer || ('deleted' in customer && customer.deleted);
  const workspaceId =
    mirrored?.workspaceId ?? (customer && !gone ? await workspaceOfMetadata(db, customer.metadata) : null);
  if (!workspaceId || !(await db.workspace.findUnique({ where: { id: workspaceId }, select: { id: true } })))
    return [];
  const before = await snapshot(workspaceId);

  if (gone) {
    // Deleted at Stripe: a tombstone, its subscriptions ended and its entitlements gone.
    await inTx(client, async (ctx) => {
      await lockObject(ctx.tx, customerId);
      await markCustomerDeleted(ctx, customerId);
    });
    return describe(before, await snapshot(workspaceId));
  }
  const alive = await inTx(client, async (ctx) => {
    await lockObject(ctx.tx, customerId);
    const current = await ctx.stripe.customers.retrieve(customerId);
    if ('deleted' in current && current.deleted) {
      await markCustomerDeleted(ctx, customerId);
      return false;
    }
    await ctx.tx.customer.upsert({
      where: { id: customerId },
      create: {
        id: customerId,
        workspaceId,
        email: current.email,
        livemode: current.livemode,
        lastEventAt: ctx.eventAt,
        observedAt: ctx.eventAt,
      },
      update: { email: current.email },
    });
    return true;
  });
  if (!alive) return describe(before, await snapshot(workspaceId));
  for await (const subscription of client.subscriptions.list({
    customer: customerId,
    status: 'all',
    limit: 100,
  })) {
    await inTx(client, (ctx) => applySubscription(ctx, subscription, 'refetched'));
  }
  const listed = new Set<string>();
  for await (const invoice of client.invoices.list({ customer: customerId, limit: 100 })) {
    if (invoice.id) listed.add(invoice.id);
    await inTx(client, async (ctx) => {
      const { applied } = await applyInvoice(ctx, invoice, 'refetched');
      if (applied?.status === 'paid') await recordInvoicePayment(ctx, applied, workspaceId);
    });
  }
  // Mirrored invoices Stripe no longer lists were deleted drafts: applyInvoice leaves a tombstone.
  const unlisted = await db.invoice.findMany({
    where: { customerId, status: { not: DELETED }, id: { notIn: [...listed] } },
    select: { id: true },
  });
  for (const { id } of unlisted) {
    await inTx(client, async (ctx) => {
      const stub = { id, customer: customerId } as Stripe.Invoice;
      await applyInvoice(ctx, stub, 'refetched');
    });
  }
  await inTx(client, (ctx) => applyEntitlements(ctx, customerId, null, 'refetched'));
  for await (const session of client.checkout.sessions.list({ customer: customerId, limit: 100 })) {
    await inTx(client, (ctx) => restorePaymentFromSession(ctx, session, workspaceId));
  }
  const payments = await db.payment.findMany({
    where: { workspaceId, paymentIntentId: { not: null } },
    select: { paymentIntentId: true },
  });
  for (const { paymentIntentId } of payments) {
    for await (const refund of client.refunds.list({ payment_intent: paymentIntentId!, limit: 100 })) {
      await inTx(client, (ctx) => applyRefund(ctx, refund, 'refetched'));
    }
    // A missed charge.dispute.* event would leave credits that a chargeback took back.
    for await (const dispute of client.disputes.list({ payment_intent: paymentIntentId!, limit: 100 })) {
      await inTx(client, (ctx) => applyDispute(ctx, dispute, 'refetched'));
    }
  }
  return describe(before, await snapshot(workspaceId));
}

/** Every customer in the Stripe account that belongs to a Tollgate workspace. */
export async function reconcileAll(
  client: Stripe = stripeClient(),
  log: (line: string) => void = () => {},
): Promise<{ customers: number; changes: string[] }> {
  const changes: string[] = [];
  const seen = new Set<string>();
  const run = async (customerId: string) => {
    seen.add(customerId);
    for (const change of await reconcileCustomer(customerId, client)) {
      changes.push(change);
      log(`${customerId}: ${change}`);
    }
  };
  for await (const customer of client.customers.list({ limit: 100 })) {
    if (customer.metadata?.workspace_id || customer.metadata?.user_id) await run(customer.id);
  }
  // Stripe lists no deleted customers: every mirrored one it did not list is checked too.
  const mirrored = await db.customer.findMany({
    where: { deleted: false, sample: false },
    select: { id: true },
  });
  for (const { id } of mirrored) if (!seen.has(id)) await run(id);
  // With the mirror repaired, per-seat quantities that differ from the member count get a seat sync.
  for (const repair of await repairSeatQuantities()) {
    changes.push(repair);
    log(repair);
  }
  return { customers: seen.size, changes };
}
