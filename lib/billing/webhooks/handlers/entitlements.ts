import type Stripe from 'stripe';
import { applyEntitlements } from '@/lib/billing/mirror/entitlements';
import type { Handler } from '../types';

export const entitlementSummaryUpdated: Handler<Stripe.EntitlementsActiveEntitlementSummaryUpdatedEvent> = (
  event,
  ctx,
) => {
  const summary = event.data.object;
  // A truncated list is not a snapshot: fetch the whole one instead.
  const snapshot = summary.entitlements.has_more ? null : summary.entitlements.data;
  return applyEntitlements(ctx, summary.customer, snapshot);
};
