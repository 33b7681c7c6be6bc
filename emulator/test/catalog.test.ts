import { describe, expect, it } from 'vitest';
import { stripeError, harnessPerTest } from './helpers';

const h = harnessPerTest();

describe('products', () => {
  it('creates, retrieves, updates and lists products with events', async () => {
    const product = await h.stripe.products.create({
      name: 'Pro plan',
      description: 'All the things',
      metadata: { tier: 'pro' },
    });
    expect(product).toMatchObject({
      object: 'product',
      name: 'Pro plan',
      active: true,
      livemode: false,
      metadata: { tier: 'pro' },
    });
    expect(product.id).toMatch(/^prod_/);
    expect(await h.stripe.products.retrieve(product.id)).toEqual(product);

    const updated = await h.stripe.products.update(product.id, {
      name: 'Pro',
      metadata: { tier: '', seats: '5' },
    });
    expect(updated.name).toBe('Pro');
    expect(updated.metadata).toEqual({ seats: '5' });

    const custom = await h.stripe.products.create({ id: 'prod_custom_id', name: 'Custom id' });
    expect(custom.id).toBe('prod_custom_id');
    await h.stripe.products.update(custom.id, { active: false });

    expect((await h.stripe.products.list({ active: true })).data.map((p) => p.id)).toEqual([product.id]);
    expect((await h.stripe.products.list({ ids: [custom.id] })).data.map((p) => p.id)).toEqual([custom.id]);

    await h.flush();
    expect(h.receiver.types()).toEqual([
      'product.created',
      'product.updated',
      'product.created',
      'product.updated',
    ]);
    const change = h.receiver.ofType('product.updated')[0];
    expect(change?.data.previous_attributes).toMatchObject({
      name: 'Pro plan',
      metadata: { tier: 'pro', seats: null },
    });
  });

  it('creates a default price inline and announces product then price', async () => {
    const product = await h.stripe.products.create({
      name: 'Starter',
      default_price_data: { currency: 'usd', unit_amount: 900, recurring: { interval: 'month' } },
    });
    const price = await h.stripe.prices.retrieve(String(product.default_price));
    expect(price).toMatchObject({
      product: product.id,
      unit_amount: 900,
      type: 'recurring',
      recurring: { interval: 'month' },
    });
    await h.flush();
    expect(h.receiver.types()).toEqual(['product.created', 'price.created']);
    expect(h.receiver.ofType('product.created')[0]?.data.object.default_price).toBe(price.id);
  });

  it('refuses to delete a product with prices', async () => {
    const product = await h.stripe.products.create({
      name: 'Has price',
      default_price_data: { currency: 'usd', unit_amount: 100 },
    });
    const error = await stripeError(h.stripe.products.del(product.id));
    expect(error.statusCode).toBe(400);
    const bare = await h.stripe.products.create({ name: 'Bare' });
    expect(await h.stripe.products.del(bare.id)).toMatchObject({ id: bare.id, deleted: true });
  });
});

describe('prices', () => {
  it('creates one-time and recurring prices', async () => {
    const product = await h.stripe.products.create({ name: 'Credits' });
    const once = await h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 500 });
    expect(once).toMatchObject({
      object: 'price',
      type: 'one_time',
      recurring: null,
      unit_amount: 500,
      currency: 'usd',
      active: true,
    });
    expect(once.unit_amount_decimal?.toString()).toBe('500');
    const yearly = await h.stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 9900,
      recurring: { interval: 'year' },
      lookup_key: 'credits_yearly',
      nickname: 'Yearly',
    });
    expect(yearly.recurring).toEqual({
      interval: 'year',
      interval_count: 1,
      meter: null,
      trial_period_days: null,
      usage_type: 'licensed',
    });
    const withProductData = await h.stripe.prices.create({
      currency: 'usd',
      unit_amount: 100,
      product_data: { name: 'Inline product' },
    });
    const inlineProduct = await h.stripe.products.retrieve(String(withProductData.product));
    expect(inlineProduct.name).toBe('Inline product');
  });

  it('validates price parameters', async () => {
    const product = await h.stripe.products.create({ name: 'X' });
    expect(await stripeError(h.stripe.prices.create({ product: product.id, currency: 'usd' }))).toMatchObject(
      {
        code: 'parameter_missing',
        param: 'unit_amount',
      },
    );
    expect(
      await stripeError(
        h.stripe.prices.create({
          product: product.id,
          currency: 'usd',
          unit_amount: 100,
          recurring: { interval: 'fortnight' as 'month' },
        }),
      ),
    ).toMatchObject({
      param: 'recurring[interval]',
      message: 'Invalid recurring[interval]: must be one of day, week, month, or year',
    });
    expect(
      await stripeError(h.stripe.prices.create({ product: 'prod_nope', currency: 'usd', unit_amount: 100 })),
    ).toMatchObject({
      code: 'resource_missing',
      param: 'product',
    });
  });

  it('keeps lookup keys unique unless transfer_lookup_key moves them', async () => {
    const product = await h.stripe.products.create({ name: 'Plan' });
    const v1 = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1000,
      lookup_key: 'plan_monthly',
    });
    const clash = await stripeError(
      h.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1200,
        lookup_key: 'plan_monthly',
      }),
    );
    expect(clash).toMatchObject({ statusCode: 400, param: 'lookup_key' });
    expect(clash.message).toContain(v1.id);

    const v2 = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1200,
      lookup_key: 'plan_monthly',
      transfer_lookup_key: true,
    });
    expect((await h.stripe.prices.retrieve(v1.id)).lookup_key).toBeNull();
    const found = await h.stripe.prices.list({ lookup_keys: ['plan_monthly', 'other'] });
    expect(found.data.map((p) => p.id)).toEqual([v2.id]);

    await h.flush();
    const moved = h.receiver.ofType('price.updated').find((e) => e.data.object.id === v1.id);
    expect(moved?.data.previous_attributes).toEqual({ lookup_key: 'plan_monthly' });
  });

  it('updates prices and filters lists by active, product and type', async () => {
    const a = await h.stripe.products.create({ name: 'A' });
    const b = await h.stripe.products.create({ name: 'B' });
    const oneTime = await h.stripe.prices.create({ product: a.id, currency: 'usd', unit_amount: 100 });
    const monthly = await h.stripe.prices.create({
      product: a.id,
      currency: 'usd',
      unit_amount: 200,
      recurring: { interval: 'month' },
    });
    const other = await h.stripe.prices.create({ product: b.id, currency: 'usd', unit_amount: 300 });
    const archived = await h.stripe.prices.update(oneTime.id, { active: false, metadata: { reason: 'old' } });
    expect(archived).toMatchObject({ active: false, metadata: { reason: 'old' } });

    const ids = async (params: Parameters<typeof h.stripe.prices.list>[0]) =>
      (await h.stripe.prices.list(params)).data.map((p) => p.id);
    expect(await ids({ product: a.id })).toEqual([monthly.id, oneTime.id]);
    expect(await ids({ active: true })).toEqual([other.id, monthly.id]);
    expect(await ids({ type: 'recurring' })).toEqual([monthly.id]);
    expect(await ids({ active: false, product: a.id })).toEqual([oneTime.id]);
    expect(await ids({ recurring: { interval: 'month' } })).toEqual([monthly.id]);
  });
});
