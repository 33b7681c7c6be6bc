import 'server-only';
import type Stripe from 'stripe';
import { z } from 'zod';
import { stripeFor } from '@/lib/billing/connections';
import { db, type Tx } from '@/lib/db';
import { ClientPaymentStage } from '@/lib/generated/prisma/enums';
import { invoiceNumber } from './inputs';
import { statusOf } from './money';

// Webhook events of a workspace's own Stripe account that concern client invoices, handed over
// by the connected-account applier (lib/billing/webhooks/connected.ts) with the workspace the
// event arrived for. Every state change of an invoice comes from here, never from a redirect.
//
// Order-safe by re-reading: whatever the event (session completed, intent succeeded, charge
// refunded, …), its PaymentIntent is fetched again from the workspace's account under the
// invoice's row lock, and the payment row is set to what Stripe reports now. Events applied in
// any order, twice, or concurrently all end at Stripe's current state; the invoice's totals and
// status are then recomputed from its payment rows.

type Handled = 'payment' | 'expired';

const HANDLED: Record<string, Handled> = {
  'checkout.session.completed': 'payment',
  'checkout.session.async_payment_succeeded': 'payment',
  'checkout.session.expired': 'expired',
  'payment_intent.succeeded': 'payment',
  'charge.succeeded': 'payment',
  'charge.refunded': 'payment',
  'charge.refund.updated': 'payment',
  'refund.created': 'payment',
  'refund.updated': 'payment',
  'refund.failed': 'payment',
};

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

// The few fields read from an event's object, checked rather than cast.
const expandable = z.union([z.string(), z.object({ id: z.string() })]).nullish();
const eventObject = z.object({
  object: z.string(),
  id: z.string(),
  payment_intent: expandable,
  metadata: z.record(z.string(), z.string()).nullish(),
});

/** The object's id, its PaymentIntent and the invoice its metadata names, whichever object it is. */
function referencesOf(event: Stripe.Event) {
  const parsed = eventObject.safeParse(event.data.object);
  if (!parsed.success) return null;
  const object = parsed.data;
  return {
    objectId: object.id,
    paymentIntentId: object.object === 'payment_intent' ? object.id : idOf(object.payment_intent),
    invoiceId: object.metadata?.tollgate_client_invoice ?? null,
  };
}

/** Lock the workspace's invoice; null when it is not this workspace's (or not an invoice at all). */
async function lockInvoice(tx: Tx, workspaceId: string, invoiceId: string) {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "ClientInvoice" WHERE id = ${invoiceId} AND "workspaceId" = ${workspaceId} FOR UPDATE`;
  return rows[0] ? tx.clientInvoice.findUniqueOrThrow({ where: { id: invoiceId } }) : null;
}

/** Recompute an invoice's collected totals and status from its payment rows (under its lock). */
export async function refreshInvoice(tx: Tx, invoiceId: string, now = new Date()) {
  const invoice = await tx.clientInvoice.findUniqueOrThrow({ where: { id: invoiceId } });
  const sums = await tx.clientPayment.aggregate({
    where: { invoiceId },
    _sum: { amount: true, amountRefunded: true },
  });
  const amountPaid = sums._sum.amount ?? 0;
  const amountRefunded = sums._sum.amountRefunded ?? 0;
  const status = statusOf({ ...invoice, amountPaid }, now);
  const paidAt = status === 'paid' ? (invoice.paidAt ?? now) : invoice.paidAt;
  if (
    status !== invoice.status ||
    amountPaid !== invoice.amountPaid ||
    amountRefunded !== invoice.amountRefunded ||
    paidAt !== invoice.paidAt
  )
    await tx.clientInvoice.update({
      where: { id: invoiceId },
      data: { amountPaid, amountRefunded, status, paidAt },
    });
  return { ...invoice, amountPaid, amountRefunded, status };
}

/**
 * Set the payment row of a PaymentIntent to what Stripe reports now, read under the invoice's
 * lock (so of two concurrent appliers, the later read is the one written), and recompute the
 * invoice. `hint` is what the event said: the invoice its metadata names, the session it came from.
 */
export async function syncPayment(
  workspaceId: string,
  paymentIntentId: string,
  hint: { invoiceId?: string | null; sessionId?: string | null } = {},
): Promise<string> {
  // A refund or charge event may be the first one seen: find its invoice through the payment row,
  // or through the PaymentIntent's metadata.
  const known = await db.clientPayment.findUnique({
    where: { paymentIntentId },
    select: { invoiceId: true, workspaceId: true },
  });
  if (known && known.workspaceId !== workspaceId) return 'ignored (another workspace)';
  const { stripe } = await stripeFor(workspaceId);
  const fetchIntent = () => stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] });
  const invoiceId =
    known?.invoiceId ?? hint.invoiceId ?? (await fetchIntent()).metadata?.tollgate_client_invoice ?? null;
  if (!invoiceId) return 'ignored (not a client invoice)';
  return db.$transaction(
    async (tx) => {
      const invoice = await lockInvoice(tx, workspaceId, invoiceId);
      if (!invoice) return `ignored (invoice ${invoiceId} is not this workspace's)`;
      const intent = await fetchIntent();
      if (intent.metadata?.tollgate_client_invoice !== invoiceId)
        return `ignored (${intent.id} is not for invoice ${invoiceId})`;
      if (intent.status !== 'succeeded' || intent.amount_received <= 0)
        return `ignored (${intent.id} is ${intent.status})`;
      const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
      const data = {
        amount: intent.amount_received,
        currency: intent.currency,
        chargeId: charge?.id ?? idOf(intent.latest_charge),
        amountRefunded: charge?.amount_refunded ?? 0,
        applicationFee: intent.application_fee_amount ?? null,
      };
      await tx.clientPayment.upsert({
        where: { paymentIntentId: intent.id },
        create: {
          ...data,
          invoiceId,
          workspaceId,
          paymentIntentId: intent.id,
          stage: intent.metadata?.stage === ClientPaymentStage.deposit ? 'deposit' : 'balance',
          checkoutSessionId: hint.sessionId ?? null,
          paidAt: new Date((charge?.created ?? intent.created) * 1000),
        },
        update: data,
      });
      // The session it was paid through is done: the link makes a new one for what is due next.
      if (hint.sessionId && invoice.checkoutSessionId === hint.sessionId)
        await tx.clientInvoice.update({
          where: { id: invoiceId },
          data: { checkoutSessionId: null, checkoutUrl: null },
        });
      const after = await refreshInvoice(tx, invoiceId);
      return `client invoice ${invoiceNumber(invoice.number)} (${invoiceId}) now ${after.status}, ${after.amountPaid} paid, ${after.amountRefunded} refunded (${intent.id})`;
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

async function applyPayment(event: Stripe.Event, workspaceId: string): Promise<string> {
  const refs = referencesOf(event);
  if (!refs?.paymentIntentId) return 'ignored (no payment intent)';
  const session = event.type.startsWith('checkout.session') ? refs.objectId : null;
  return syncPayment(workspaceId, refs.paymentIntentId, { invoiceId: refs.invoiceId, sessionId: session });
}

async function applyExpired(event: Stripe.Event, workspaceId: string): Promise<string> {
  const session = referencesOf(event);
  if (!session) return 'ignored (no session)';
  const { count } = await db.clientInvoice.updateMany({
    where: { workspaceId, checkoutSessionId: session.objectId },
    data: { checkoutSessionId: null, checkoutUrl: null, checkoutAttempt: { increment: 1 } },
  });
  return count
    ? `client invoice session ${session.objectId} expired`
    : 'ignored (not an open invoice session)';
}

/** Apply one event of the workspace's own account; returns a one-line outcome for the log. */
export async function applyInvoicingEvent(event: Stripe.Event, workspaceId: string): Promise<string> {
  switch (HANDLED[event.type]) {
    case 'payment':
      return applyPayment(event, workspaceId);
    case 'expired':
      return applyExpired(event, workspaceId);
    default:
      return 'ignored';
  }
}
