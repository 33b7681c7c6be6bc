import 'server-only';
import type Stripe from 'stripe';
import { billedSeats, type SeatProration } from '@/lib/billing/catalog';
import { callStripe } from '@/lib/billing/stripe';
import { memberCount, seatSubscription } from '@/lib/workspaces/seats';

export interface SeatChangePreview {
  planName: string;
  proration: SeatProration;
  currency: string;
  /** Billed seats now and after the change (both within minSeats..maxSeats). */
  seatsNow: number;
  seatsAfter: number;
  /** One seat for a whole period, in cents. */
  perSeat: number;
  /** Charged at once when the member joins (`always_invoice`), else 0. */
  dueNow: number;
  /** The prorated difference that lands on the next invoice (`create_prorations`), else 0. */
  proratedOnNext: number;
  /** The next regular invoice: its amount and date. */
  nextAmount: number;
  nextDate: Date;
}

const prorationLine = (line: Stripe.InvoiceLineItem) =>
  Boolean(line.parent?.subscription_item_details?.proration ?? line.parent?.invoice_item_details?.proration);

/**
 * What `delta` more (or fewer) members would cost, from Stripe's own invoices.createPreview with
 * the plan's proration behaviour. Null when the workspace has no per-seat subscription.
 */
export async function previewSeatChange(
  workspaceId: string,
  delta: number,
): Promise<SeatChangePreview | null> {
  const subscription = await seatSubscription(workspaceId);
  if (!subscription) return null;
  const { members } = await memberCount(workspaceId);
  const { rules } = subscription;
  const remote = await callStripe((s) => s.subscriptions.retrieve(subscription.id));
  const item =
    remote.items.data.find((i) => i.price.lookup_key === subscription.priceLookupKey) ?? remote.items.data[0];
  if (!item) return null;
  const seatsNow = item.quantity ?? 1;
  const seatsAfter = billedSeats(Math.max(0, members + delta), rules);
  const perSeat = item.price.unit_amount ?? 0;
  const base = {
    planName: subscription.plan.name,
    proration: rules.proration,
    currency: item.price.currency,
    seatsNow,
    seatsAfter,
    perSeat,
  };
  if (seatsAfter === seatsNow)
    return {
      ...base,
      dueNow: 0,
      proratedOnNext: 0,
      nextAmount: perSeat * seatsNow,
      nextDate: new Date(item.current_period_end * 1000),
    };
  const preview = await callStripe((s) =>
    s.invoices.createPreview({
      customer: subscription.customerId,
      subscription: subscription.id,
      subscription_details: {
        items: [{ id: item.id, quantity: seatsAfter }],
        proration_behavior: rules.proration,
      },
    }),
  );
  const prorated = preview.lines.data.filter(prorationLine).reduce((sum, line) => sum + line.amount, 0);
  // `always_invoice` previews the invoice billed at once; otherwise the next renewal, prorations included.
  const billedNow = preview.billing_reason !== 'upcoming';
  return {
    ...base,
    dueNow: billedNow ? preview.amount_due : 0,
    proratedOnNext: billedNow ? 0 : prorated,
    nextAmount: billedNow ? perSeat * seatsAfter : preview.amount_due,
    nextDate: new Date(item.current_period_end * 1000),
  };
}
