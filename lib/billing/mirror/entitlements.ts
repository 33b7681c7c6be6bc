import type Stripe from 'stripe';
import type { HandlerContext } from '@/lib/billing/mirror/context';
import { ensureMirroredCustomer, markCustomerDeleted } from './customer';
import { freshness, isMissing, later, lockObject, type Mode } from './guard';

async function fetchActive(
  ctx: HandlerContext,
  customerId: string,
): Promise<Stripe.Entitlements.ActiveEntitlement[]> {
  const all: Stripe.Entitlements.ActiveEntitlement[] = [];
  for await (const entitlement of ctx.stripe.entitlements.activeEntitlements.list({
    customer: customerId,
    limit: 100,
  }))
    all.push(entitlement);
  return all;
}

/**
 * Replace a customer's entitlements with Stripe's snapshot, as a whole, under
 * the newer-than guard (so an old snapshot never brings back a feature).
 * `snapshot: null` fetches the current list from Stripe.
 */
export async function applyEntitlements(
  ctx: HandlerContext,
  customerId: string,
  snapshot: Stripe.Entitlements.ActiveEntitlement[] | null,
  mode: Mode = 'event',
): Promise<string> {
  // Lock order (guard.ts): the snapshot's lock, then the customer's row.
  await lockObject(ctx.tx, `${customerId}:entitlements`);
  const customer = await ensureMirroredCustomer(ctx, customerId, { write: true });
  if (!customer) return `ignored entitlements of ${customerId}: customer not linked to a Tollgate workspace`;
  if (customer.deleted) return `skipped entitlements of ${customerId}: customer deleted`;
  const stored = await ctx.tx.customer.findUnique({
    where: { id: customerId },
    select: { entitlementsAt: true },
  });
  const fresh = mode === 'event' ? freshness(stored?.entitlementsAt, ctx.eventAt) : 'newer';
  if (fresh === 'stale') return `skipped entitlements of ${customerId}: snapshot older than stored`;
  // No snapshot (truncated, or reconcile) or a same-second tie: take Stripe's current list.
  // Stripe answers "No such customer" once it is deleted: then it has no entitlements at all.
  const entitlements =
    fresh === 'tie' || !snapshot
      ? await fetchActive(ctx, customerId).catch((error: unknown) => {
          if (isMissing(error)) return null;
          throw error;
        })
      : snapshot;
  if (!entitlements) {
    await markCustomerDeleted(ctx, customerId);
    return `entitlements of ${customerId}: none (customer deleted at Stripe)`;
  }
  await ctx.tx.entitlement.deleteMany({ where: { customerId } });
  await ctx.tx.entitlement.createMany({
    data: entitlements.map((e) => ({
      customerId,
      lookupKey: e.lookup_key,
      featureId: typeof e.feature === 'string' ? e.feature : e.feature.id,
    })),
    skipDuplicates: true,
  });
  await ctx.tx.customer.update({
    where: { id: customerId },
    data: { entitlementsAt: later(stored?.entitlementsAt, ctx.eventAt) },
  });
  const keys = entitlements.map((e) => e.lookup_key).sort();
  return `entitlements of ${customerId}: ${keys.length ? keys.join(', ') : 'none'}`;
}
