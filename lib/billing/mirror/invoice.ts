import type Stripe from 'stripe';
import { idOf } from '@/lib/billing/ids';
import type { HandlerContext } from '@/lib/billing/mirror/context';
import { ensureMirroredCustomer } from './customer';
import { fromUnix, isMissing, later, lockObject, versionToApply, type Mode } from './guard';

/** The status of a tombstone row: an invoice deleted at Stripe (only drafts can be). */
export const DELETED = 'deleted';

export function subscriptionOfInvoice(invoice: Stripe.Invoice): string | null {
  return idOf(invoice.parent?.subscription_details?.subscription ?? null);
}

/** Mirror an invoice, with the same newer-than guard as subscriptions. */
export async function applyInvoice(
  ctx: HandlerContext,
  incoming: Stripe.Invoice,
  mode: Mode = 'event',
): Promise<{ outcome: string; applied: Stripe.Invoice | null; workspaceId: string | null }> {
  if (!incoming.id)
    return { outcome: 'ignored invoice preview without an id', applied: null, workspaceId: null };
  const id = incoming.id;
  // Lock order (guard.ts): the invoice's lock, then the customer's row.
  await lockObject(ctx.tx, id);
  // The customer first: an event's side effects (payments, credits, emails)
  // belong to its workspace even when the invoice row already holds newer state.
  const incomingCustomer = idOf(incoming.customer);
  const customer = incomingCustomer ? await ensureMirroredCustomer(ctx, incomingCustomer) : null;
  if (!customer)
    return {
      outcome: `ignored invoice ${id}: customer not linked to a Tollgate workspace`,
      applied: null,
      workspaceId: null,
    };
  const stored = await ctx.tx.invoice.findUnique({
    where: { id },
    select: { lastEventAt: true, status: true },
  });
  // A deleted draft is gone at Stripe for good: no late event brings it back.
  if (stored?.status === DELETED)
    return { outcome: `skipped invoice ${id}: deleted`, applied: null, workspaceId: customer.workspaceId };
  const invoice = await versionToApply(mode, stored?.lastEventAt, ctx.eventAt, incoming, () =>
    ctx.stripe.invoices.retrieve(id),
  ).catch(async (error: unknown) => {
    if (!isMissing(error)) throw error;
    await tombstone(ctx, id, customer.id, incoming, stored?.lastEventAt);
    return null;
  });
  if (!invoice)
    return {
      outcome: `skipped invoice ${id}: event older than stored, or deleted`,
      applied: null,
      workspaceId: customer.workspaceId,
    };
  const lastEventAt = later(stored?.lastEventAt, ctx.eventAt);
  const data = {
    customerId: customer.id,
    subscriptionId: subscriptionOfInvoice(invoice),
    number: invoice.number,
    status: invoice.status ?? 'draft',
    billingReason: invoice.billing_reason,
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    amountRemaining: invoice.amount_remaining,
    currency: invoice.currency,
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    attemptCount: invoice.attempt_count,
    nextPaymentAttempt: fromUnix(invoice.next_payment_attempt),
    periodStart: fromUnix(invoice.period_start),
    periodEnd: fromUnix(invoice.period_end),
    paidAt: fromUnix(invoice.status_transitions?.paid_at),
    stripeCreated: new Date(invoice.created * 1000),
    lastEventAt,
  };
  await ctx.tx.invoice.upsert({ where: { id }, create: { id, ...data }, update: data });
  return { outcome: `invoice ${id} ${data.status}`, applied: invoice, workspaceId: customer.workspaceId };
}

async function tombstone(
  ctx: HandlerContext,
  id: string,
  customerId: string,
  invoice: Stripe.Invoice,
  storedAt: Date | null | undefined,
): Promise<void> {
  const lastEventAt = later(storedAt, ctx.eventAt);
  if (storedAt) {
    await ctx.tx.invoice.update({ where: { id }, data: { status: DELETED, lastEventAt } });
    return;
  }
  await ctx.tx.invoice.create({
    data: {
      id,
      customerId,
      subscriptionId: subscriptionOfInvoice(invoice),
      status: DELETED,
      amountDue: invoice.amount_due,
      amountPaid: 0,
      amountRemaining: 0,
      currency: invoice.currency,
      stripeCreated: new Date(invoice.created * 1000),
      lastEventAt,
    },
  });
}

/** `invoice.deleted`: Stripe answers 404 for the draft from now on, so the mirror keeps only a tombstone. */
export async function applyInvoiceDeleted(ctx: HandlerContext, invoice: Stripe.Invoice): Promise<string> {
  if (!invoice.id) return 'ignored invoice deletion without an id';
  await lockObject(ctx.tx, invoice.id);
  const customerId = idOf(invoice.customer);
  const customer = customerId ? await ensureMirroredCustomer(ctx, customerId) : null;
  if (!customer) return `ignored invoice ${invoice.id}: customer not linked to a Tollgate workspace`;
  const stored = await ctx.tx.invoice.findUnique({
    where: { id: invoice.id },
    select: { lastEventAt: true },
  });
  await tombstone(ctx, invoice.id, customer.id, invoice, stored?.lastEventAt);
  return `invoice ${invoice.id} deleted`;
}

/**
 * Records that an invoice's automatic payment waits for the customer to authenticate (3-D
 * Secure, `invoice.payment_action_required`). A paid or voided invoice no longer needs it: the
 * billing page only asks while the invoice is open.
 */
export async function markInvoiceActionRequired(ctx: HandlerContext, invoiceId: string): Promise<void> {
  await ctx.tx.invoice.updateMany({
    where: { id: invoiceId, status: 'open' },
    data: { paymentActionRequired: true },
  });
}
