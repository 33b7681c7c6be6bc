import type Stripe from 'stripe';
import { idOf } from '@/lib/billing/ids';
import type { HandlerContext } from '@/lib/billing/mirror/context';
import { ensureMirroredCustomer } from './customer';
import { fromUnix, later, lockObject, versionToApply, type Mode } from './guard';

export function subscriptionOfInvoice(invoice: Stripe.Invoice): string | null {
  return idOf(invoice.parent?.subscription_details?.subscription ?? null);
}

/** Mirror an invoice, with the same newer-than guard as subscriptions. */
export async function applyInvoice(
  ctx: HandlerContext,
  incoming: Stripe.Invoice,
  mode: Mode = 'event',
): Promise<{ outcome: string; applied: Stripe.Invoice | null; userId: string | null }> {
  if (!incoming.id) return { outcome: 'ignored invoice preview without an id', applied: null, userId: null };
  const id = incoming.id;
  // The customer first: an event's side effects (payments, credits, emails)
  // belong to its user even when the invoice row already holds newer state.
  const incomingCustomer = idOf(incoming.customer);
  const customer = incomingCustomer ? await ensureMirroredCustomer(ctx, incomingCustomer) : null;
  if (!customer)
    return {
      outcome: `ignored invoice ${id}: customer not linked to a Tollgate user`,
      applied: null,
      userId: null,
    };
  await lockObject(ctx.tx, id);
  const stored = await ctx.tx.invoice.findUnique({ where: { id }, select: { lastEventAt: true } });
  const invoice = await versionToApply(mode, stored?.lastEventAt, ctx.eventAt, incoming, () =>
    ctx.stripe.invoices.retrieve(id),
  );
  if (!invoice)
    return {
      outcome: `skipped invoice ${id}: event older than stored`,
      applied: null,
      userId: customer.userId,
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
  return { outcome: `invoice ${id} ${data.status}`, applied: invoice, userId: customer.userId };
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
