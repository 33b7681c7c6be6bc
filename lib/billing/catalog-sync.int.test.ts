import { describe, expect, it } from 'vitest';
import { stripe } from '@/lib/billing/stripe';
import { creditPacks, features, plans } from './catalog';
import { syncCatalog } from './catalog-sync';

describe('npm run stripe:sync', () => {
  it('has created every price by lookup key and feature, and a second run changes nothing', async () => {
    // The test setup already synced the catalog once, as `npm run dev` does.
    expect((await syncCatalog(stripe())).changes).toEqual([]);
    const keys = [
      ...plans.flatMap((p) => [p.prices.month.lookupKey, p.prices.year.lookupKey]),
      ...creditPacks.map((p) => p.lookupKey),
    ];
    const prices = await stripe().prices.list({ lookup_keys: keys, limit: 100 });
    expect(prices.data.map((p) => p.lookup_key).sort()).toEqual([...keys].sort());
    const pro = prices.data.find((p) => p.lookup_key === 'pro_yearly');
    expect(pro).toMatchObject({
      unit_amount: 29_000,
      currency: 'usd',
      recurring: expect.objectContaining({ interval: 'year' }),
    });
    const stripeFeatures = await stripe().entitlements.features.list({ limit: 100 });
    expect(stripeFeatures.data.map((f) => f.lookup_key).sort()).toEqual(
      features.map((f) => f.lookupKey).sort(),
    );
    const productId = typeof pro!.product === 'string' ? pro!.product : pro!.product.id;
    const attached = await stripe().products.listFeatures(productId, { limit: 100 });
    expect(attached.data.map((f) => f.entitlement_feature.lookup_key).sort()).toEqual([
      'api_access',
      'premium_reports',
      'priority_support',
    ]);
  });
});
