import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import { planForLookupKey, type Interval } from '@/lib/billing/catalog';
import { BillingError } from '@/lib/billing/errors';
import { callStripe } from '@/lib/billing/stripe';
import { liveSubscription } from '@/lib/billing/subscription-queries';
import { env } from '@/lib/env';

/** How long a previewed price stays valid: the update reuses its proration_date. */
export const QUOTE_TTL_SECONDS = 30 * 60;

export interface PlanChangePreview {
  lookupKey: string;
  planName: string;
  interval: Interval;
  currency: string;
  /** Charged when the change is confirmed (0 for a downgrade or during a trial). */
  dueNow: number;
  /** Unused time worth more than the new plan's remainder: credited to the next invoices. */
  credit: number;
  /** The next regular invoice: its amount and date. */
  nextAmount: number;
  nextDate: Date;
  /** Unix seconds (Stripe's time, a test clock's too); the update reuses it to bill what was shown. */
  prorationDate: number;
  /** When the quote was made (app time, ms) and its signature: the form cannot pick its own date. */
  issuedAt: number;
  signature: string;
}

export interface PlanChangeQuote {
  lookupKey: string;
  prorationDate: number;
  issuedAt: number;
  signature: string;
}

function sign(workspaceId: string, lookupKey: string, prorationDate: number, issuedAt: number): string {
  return createHmac('sha256', env().AUTH_SECRET)
    .update(`plan-change:${workspaceId}:${lookupKey}:${prorationDate}:${issuedAt}`)
    .digest('base64url');
}

function validQuote(workspaceId: string, quote: PlanChangeQuote): boolean {
  const expected = Buffer.from(sign(workspaceId, quote.lookupKey, quote.prorationDate, quote.issuedAt));
  const given = Buffer.from(quote.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface Target {
  subscription: Stripe.Subscription;
  itemId: string;
  price: Stripe.Price;
  planName: string;
  interval: Interval;
}

/** The workspace's subscription, its one item and the price to switch to; refuses what cannot change. */
async function target(workspaceId: string, lookupKey: string): Promise<Target> {
  const entry = planForLookupKey(lookupKey);
  if (!entry) throw new BillingError(400, 'Unknown plan.');
  const row = await liveSubscription(workspaceId);
  if (!row) throw new BillingError(404, 'You have no subscription to change. Choose a plan first.');
  if (row.status !== 'active' && row.status !== 'trialing')
    throw new BillingError(409, 'Settle your open invoice before changing plans.');
  if (row.cancelAtPeriodEnd)
    throw new BillingError(409, 'Your subscription is set to cancel. Resume it before changing plans.');
  if (row.priceLookupKey === lookupKey) throw new BillingError(409, 'You are already on this plan.');
  const [subscription, prices] = await Promise.all([
    callStripe((s) => s.subscriptions.retrieve(row.id)),
    callStripe((s) => s.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 })),
  ]);
  const item = subscription.items.data[0];
  const price = prices.data[0];
  if (!item || subscription.items.data.length !== 1)
    throw new BillingError(409, 'This subscription cannot be changed here. Use the billing portal.');
  if (!price?.recurring)
    throw new BillingError(503, 'This plan is not available right now.', `no price for ${lookupKey}`);
  return { subscription, itemId: item.id, price, planName: entry.plan.name, interval: entry.interval };
}

function changeParams(t: Target, prorationDate?: number) {
  return {
    items: [{ id: t.itemId, price: t.price.id }],
    proration_behavior: 'always_invoice' as const,
    ...(prorationDate === undefined ? {} : { proration_date: prorationDate }),
  };
}

/** What switching to `lookupKey` costs now and from the next period (invoices.createPreview). */
export async function previewPlanChange(workspaceId: string, lookupKey: string): Promise<PlanChangePreview> {
  const t = await target(workspaceId, lookupKey);
  const preview = await callStripe((s) =>
    s.invoices.createPreview({
      customer:
        typeof t.subscription.customer === 'string' ? t.subscription.customer : t.subscription.customer.id,
      subscription: t.subscription.id,
      subscription_details: changeParams(t),
    }),
  );
  // Stripe's own "now" (a test clock's time in tests), as the docs advise reusing on the update.
  const prorationDate =
    preview.parent?.subscription_details?.subscription_proration_date ?? Math.floor(Date.now() / 1000);
  const issuedAt = Date.now();
  const base = {
    issuedAt,
    signature: sign(workspaceId, lookupKey, prorationDate, issuedAt),
    lookupKey,
    planName: t.planName,
    interval: t.interval,
    currency: preview.currency,
    prorationDate,
  };
  // Nothing billed now (a trial): the preview is the next renewal itself.
  if (preview.billing_reason === 'upcoming') {
    return {
      ...base,
      dueNow: 0,
      credit: 0,
      nextAmount: preview.amount_due,
      nextDate: new Date(preview.period_end * 1000),
    };
  }
  const nextEnd = Math.max(...preview.lines.data.map((line) => line.period.end));
  return {
    ...base,
    dueNow: preview.amount_due,
    credit: preview.total < 0 ? -preview.total : 0,
    nextAmount: t.price.unit_amount ?? 0,
    nextDate: new Date(nextEnd * 1000),
  };
}

/**
 * Switches the plan with the previewed proration_date, so the charge is the previewed one. The
 * webhook mirrors the result; a double submit is one Stripe request (same idempotency key).
 */
export async function changePlan(
  workspaceId: string,
  quote: PlanChangeQuote,
): Promise<{ planName: string; paid: boolean }> {
  if (!validQuote(workspaceId, quote)) throw new BillingError(400, 'Review the change again.');
  const age = Date.now() - quote.issuedAt;
  if (age < 0 || age > QUOTE_TTL_SECONDS * 1000)
    throw new BillingError(409, 'This price quote has expired. Review the change again.');
  const { lookupKey, prorationDate } = quote;
  const t = await target(workspaceId, lookupKey);
  const updated = await callStripe((s) =>
    s.subscriptions.update(t.subscription.id, changeParams(t, prorationDate), {
      idempotencyKey: `plan-change-${t.subscription.id}-${t.price.id}-${prorationDate}`,
    }),
  );
  const idOf = (invoice: string | Stripe.Invoice | null) =>
    typeof invoice === 'string' ? invoice : (invoice?.id ?? null);
  const invoiceId = idOf(updated.latest_invoice);
  const invoice =
    invoiceId && invoiceId !== idOf(t.subscription.latest_invoice)
      ? await callStripe((s) => s.invoices.retrieve(invoiceId))
      : null;
  return { planName: t.planName, paid: !invoice || invoice.status !== 'open' };
}
