// Makes the Stripe account match lib/billing/catalog.ts: features, one product
// per plan and per credit pack (found by metadata.tollgate_key), prices by
// lookup key, and each plan product's features. Idempotent: a second run
// changes nothing and reports that. Prices are immutable in Stripe, so a
// changed amount creates a new price that takes over the lookup key.
import type Stripe from 'stripe';
import { CURRENCY, creditPacks, features, plans, type Interval } from './catalog';

interface DesiredPrice {
  lookupKey: string;
  amount: number;
  interval?: Interval;
}

interface DesiredProduct {
  key: string;
  name: string;
  description?: string;
  prices: DesiredPrice[];
  features: string[];
  /** 'seat' for a per-seat plan: Checkout and invoices then read "× 3 seats". */
  unitLabel: string | null;
}

function desiredProducts(): DesiredProduct[] {
  return [
    ...plans.map((plan) => ({
      key: `plan:${plan.key}`,
      name: plan.name,
      description: plan.description,
      prices: (['month', 'year'] as const).map((interval) => ({ ...plan.prices[interval], interval })),
      features: plan.features,
      unitLabel: plan.perSeat ? 'seat' : null,
    })),
    ...creditPacks.map((pack) => ({
      key: `pack:${pack.key}`,
      name: pack.name,
      prices: [{ lookupKey: pack.lookupKey, amount: pack.amount }],
      features: [],
      unitLabel: null,
    })),
  ];
}

async function listAll<T extends { id: string }>(
  page: (startingAfter?: string) => Promise<Stripe.ApiList<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const result = await page(startingAfter);
    items.push(...result.data);
    if (!result.has_more || result.data.length === 0) return items;
    startingAfter = result.data[result.data.length - 1]!.id;
  }
}

export async function syncCatalog(
  stripe: Stripe,
  log: (line: string) => void = () => {},
): Promise<{ changes: string[] }> {
  const changes: string[] = [];
  const change = (line: string) => {
    changes.push(line);
    log(line);
  };

  // Products and prices
  const existingProducts = await listAll((starting_after) =>
    stripe.products.list({ limit: 100, starting_after }),
  );
  const productIds = new Map<string, string>();
  for (const desired of desiredProducts()) {
    let product = existingProducts.find((p) => p.metadata?.tollgate_key === desired.key);
    if (!product) {
      product = await stripe.products.create({
        name: desired.name,
        description: desired.description,
        ...(desired.unitLabel ? { unit_label: desired.unitLabel } : {}),
        metadata: { tollgate_key: desired.key },
      });
      change(`created product ${desired.name}`);
    } else if (
      product.name !== desired.name ||
      (desired.description && product.description !== desired.description) ||
      (product.unit_label ?? null) !== desired.unitLabel ||
      !product.active
    ) {
      product = await stripe.products.update(product.id, {
        name: desired.name,
        description: desired.description,
        unit_label: desired.unitLabel ?? '',
        active: true,
      });
      change(`updated product ${desired.name}`);
    }

    const current = await stripe.prices.list({
      lookup_keys: desired.prices.map((p) => p.lookupKey),
      limit: 100,
    });
    for (const price of desired.prices) {
      const found = current.data.find((p) => p.lookup_key === price.lookupKey);
      const matches =
        found &&
        found.active &&
        found.unit_amount === price.amount &&
        found.currency === CURRENCY &&
        (typeof found.product === 'string' ? found.product : found.product.id) === product.id &&
        (found.recurring?.interval ?? undefined) === price.interval;
      if (matches) continue;
      await stripe.prices.create({
        product: product.id,
        currency: CURRENCY,
        unit_amount: price.amount,
        lookup_key: price.lookupKey,
        transfer_lookup_key: true,
        ...(price.interval ? { recurring: { interval: price.interval } } : {}),
        metadata: { tollgate_key: desired.key },
      });
      if (found) await stripe.prices.update(found.id, { active: false });
      change(`${found ? 'replaced' : 'created'} price ${price.lookupKey}`);
    }

    productIds.set(desired.key, product.id);
  }

  // Features
  const existingFeatures = await listAll((starting_after) =>
    stripe.entitlements.features.list({ limit: 100, starting_after }),
  );
  const featureIds = new Map<string, string>();
  for (const feature of features) {
    const found = existingFeatures.find((f) => f.lookup_key === feature.lookupKey);
    if (!found) {
      const created = await stripe.entitlements.features.create({
        lookup_key: feature.lookupKey,
        name: feature.name,
      });
      featureIds.set(feature.lookupKey, created.id);
      change(`created feature ${feature.lookupKey}`);
    } else {
      featureIds.set(feature.lookupKey, found.id);
      if (found.name !== feature.name) {
        await stripe.entitlements.features.update(found.id, { name: feature.name });
        change(`renamed feature ${feature.lookupKey}`);
      }
    }
  }

  // Product features: exactly each plan's features.
  for (const desired of desiredProducts()) {
    const productId = productIds.get(desired.key)!;
    if (desired.features.length || desired.key.startsWith('plan:')) {
      const attached = await listAll((starting_after) =>
        stripe.products.listFeatures(productId, { limit: 100, starting_after }),
      );
      for (const lookupKey of desired.features) {
        if (!attached.some((pf) => pf.entitlement_feature.lookup_key === lookupKey)) {
          await stripe.products.createFeature(productId, { entitlement_feature: featureIds.get(lookupKey)! });
          change(`attached ${lookupKey} to ${desired.name}`);
        }
      }
      for (const pf of attached) {
        if (!desired.features.includes(pf.entitlement_feature.lookup_key)) {
          await stripe.products.deleteFeature(productId, pf.id);
          change(`detached ${pf.entitlement_feature.lookup_key} from ${desired.name}`);
        }
      }
    }
  }
  return { changes };
}
