import type Stripe from 'stripe';
import { newId } from '../ids';
import type { Op } from '../op';
import { idOf } from '../values';

/** Subscription statuses that grant their products' features, as at Stripe. */
export const ENTITLED_STATUSES: ReadonlyArray<string> = ['trialing', 'active', 'past_due'];

/** The active features a customer is entitled to, through the products of their subscriptions. */
export function entitledFeatures(op: Op, customer: string): Stripe.Entitlements.Feature[] {
  const products = new Set<string>();
  for (const sub of op.store.objects.subscription.values()) {
    if (idOf(sub.customer) !== customer || !ENTITLED_STATUSES.includes(sub.status)) continue;
    for (const item of sub.items.data) products.add(idOf(item.price.product) ?? '');
  }
  const features = new Map<string, Stripe.Entitlements.Feature>();
  for (const link of op.store.internal.product_feature_link.values()) {
    if (!products.has(link.product)) continue;
    const productFeature = op.store.objects.product_feature.get(link.id);
    const feature = productFeature
      ? op.store.objects['entitlements.feature'].get(productFeature.entitlement_feature.id)
      : undefined;
    if (feature?.active) features.set(feature.id, feature);
  }
  return [...features.values()].sort((a, b) => a.lookup_key.localeCompare(b.lookup_key));
}

/** The customer's active entitlements now, keeping the ids of those that were already active. */
export function activeEntitlements(op: Op, customer: string): Stripe.Entitlements.ActiveEntitlement[] {
  const previous = op.store.internal.entitlement_summary.get(customer)?.data ?? [];
  return entitledFeatures(op, customer).map(
    (feature) =>
      previous.find((e) => idOf(e.feature) === feature.id) ?? {
        id: newId('ent'),
        object: 'entitlements.active_entitlement',
        feature: feature.id,
        livemode: false,
        lookup_key: feature.lookup_key,
      },
  );
}

/**
 * Recomputes a customer's entitlements; when the set changed, stores it and emits
 * `entitlements.active_entitlement_summary.updated` with the whole new set.
 */
export function syncEntitlements(op: Op, customer: string): void {
  const before = op.store.internal.entitlement_summary.get(customer)?.data ?? [];
  const data = activeEntitlements(op, customer);
  const key = (list: Stripe.Entitlements.ActiveEntitlement[]) => list.map((e) => e.lookup_key).join('\n');
  if (key(before) === key(data)) return;
  op.store.internal.entitlement_summary.set({ id: customer, data });
  op.emitPreview('entitlements.active_entitlement_summary.updated', {
    object: 'entitlements.active_entitlement_summary',
    customer,
    entitlements: {
      object: 'list',
      data: structuredClone(data),
      has_more: false,
      url: `/v1/customer/${customer}/entitlements`,
    },
    livemode: false,
  });
}

/** After a product's features changed: every customer subscribed to it. */
export function syncProductCustomers(op: Op, product: string): void {
  const customers = new Set<string>();
  for (const sub of op.store.objects.subscription.values()) {
    if (sub.items.data.some((item) => idOf(item.price.product) === product))
      customers.add(idOf(sub.customer) ?? '');
  }
  for (const customer of customers) syncEntitlements(op, customer);
}
