import { describe, expect, it } from 'vitest';
import { pay, stripeError, harnessPerTest } from './helpers';

const h = harnessPerTest();

describe('lists', () => {
  it('pages newest first with limit, starting_after and ending_before', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await h.stripe.customers.create({ name: `c${i}` })).id);
    const newest = [...ids].reverse();

    const first = await h.stripe.customers.list();
    expect(first).toMatchObject({ object: 'list', url: '/v1/customers', has_more: true });
    expect(first.data.map((c) => c.id)).toEqual(newest.slice(0, 10));

    const second = await h.stripe.customers.list({ limit: 10, starting_after: first.data.at(-1)?.id });
    expect(second.data.map((c) => c.id)).toEqual(newest.slice(10, 20));
    const third = await h.stripe.customers.list({ limit: 10, starting_after: second.data.at(-1)?.id });
    expect(third.data.map((c) => c.id)).toEqual(newest.slice(20));
    expect(third.has_more).toBe(false);

    const back = await h.stripe.customers.list({ limit: 5, ending_before: newest[10] });
    expect(back.data.map((c) => c.id)).toEqual(newest.slice(5, 10));
    expect(back.has_more).toBe(true);

    const all = await h.stripe.customers.list({ limit: 7 }).autoPagingToArray({ limit: 100 });
    expect(all.map((c) => c.id)).toEqual(newest);
  });

  it('bounds limit to 1..100', async () => {
    expect(await stripeError(h.stripe.customers.list({ limit: 0 }))).toMatchObject({
      param: 'limit',
      statusCode: 400,
    });
    expect(await stripeError(h.stripe.customers.list({ limit: 101 }))).toMatchObject({
      param: 'limit',
      statusCode: 400,
    });
    await expect(h.stripe.customers.list({ limit: 100 })).resolves.toMatchObject({ object: 'list' });
  });

  it('filters events by type, types (with wildcards) and created', async () => {
    const customer = await h.stripe.customers.create();
    await h.stripe.customers.update(customer.id, { name: 'N' });
    await h.stripe.products.create({ name: 'P' });
    const types = async (params: Parameters<typeof h.stripe.events.list>[0]) =>
      (await h.stripe.events.list(params)).data.map((e) => e.type);
    expect(await types({ type: 'customer.created' })).toEqual(['customer.created']);
    expect(await types({ type: 'customer.*' })).toEqual(['customer.updated', 'customer.created']);
    expect(await types({ types: ['product.created', 'customer.updated'] })).toEqual([
      'product.created',
      'customer.updated',
    ]);
    const now = Math.floor(Date.now() / 1000);
    expect(await types({ created: { gte: now + 60 } })).toEqual([]);
    expect((await types({ created: { lte: now + 60 } })).length).toBe(3);
  });

  it('filters checkout sessions by payment_intent and customer', async () => {
    const customer = await h.stripe.customers.create();
    const product = await h.stripe.products.create({
      name: 'P',
      default_price_data: { currency: 'usd', unit_amount: 1000 },
    });
    const line_items = [{ price: String(product.default_price), quantity: 1 }];
    const mine = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      customer: customer.id,
      line_items,
      success_url: 'https://a.example/s',
    });
    await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items,
      success_url: 'https://a.example/s',
    });
    expect((await pay(h, mine.id, '4242424242424242')).body.status).toBe('complete');
    const paid = await h.stripe.checkout.sessions.retrieve(mine.id);
    expect((await h.stripe.checkout.sessions.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([
      mine.id,
    ]);
    expect(
      (await h.stripe.checkout.sessions.list({ payment_intent: String(paid.payment_intent) })).data.map(
        (s) => s.id,
      ),
    ).toEqual([mine.id]);
    expect((await h.stripe.checkout.sessions.list({ status: 'open' })).data).toHaveLength(1);
  });
});

describe('expand', () => {
  it('expands nested paths', async () => {
    const customer = await h.stripe.customers.create({ email: 'x@example.com' });
    const product = await h.stripe.products.create({
      name: 'P',
      default_price_data: { currency: 'usd', unit_amount: 1000 },
    });
    const session = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      customer: customer.id,
      line_items: [{ price: String(product.default_price), quantity: 1 }],
      success_url: 'https://a.example/s',
    });
    expect((await pay(h, session.id, '4242424242424242')).body.status).toBe('complete');
    const expanded = await h.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent.latest_charge', 'customer', 'line_items.data.price.product'],
    });
    expect(expanded.customer).toMatchObject({ object: 'customer', id: customer.id });
    expect(expanded.payment_intent).toMatchObject({
      object: 'payment_intent',
      latest_charge: { object: 'charge', status: 'succeeded' },
    });
    // A charge's balance transaction expands like any other object.
    const charge = await h.stripe.charges.retrieve(
      typeof expanded.payment_intent === 'object' && expanded.payment_intent
        ? String((expanded.payment_intent.latest_charge as { id: string }).id)
        : '',
      { expand: ['balance_transaction'] },
    );
    expect(charge.balance_transaction).toMatchObject({ object: 'balance_transaction', type: 'charge' });
    expect(expanded.line_items?.data[0]?.price?.product).toMatchObject({ object: 'product', id: product.id });
  });

  it('expands data. paths on lists', async () => {
    const customer = await h.stripe.customers.create();
    await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: customer.id });
    const list = await h.stripe.paymentIntents.list({ expand: ['data.customer'] });
    expect(list.data[0]?.customer).toMatchObject({ object: 'customer', id: customer.id });
    const plain = await h.stripe.paymentIntents.list();
    expect(plain.data[0]?.customer).toBe(customer.id);
  });

  it('leaves a null reference null and refuses a property that cannot be expanded', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', expand: ['customer'] });
    expect(pi.customer).toBeNull();
    const error = await stripeError(h.stripe.paymentIntents.retrieve(pi.id, { expand: ['nonsense'] }));
    expect(error).toMatchObject({ statusCode: 400, message: 'This property cannot be expanded (nonsense).' });
  });

  it('returns a deleted object as its tombstone', async () => {
    const customer = await h.stripe.customers.create();
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: customer.id });
    await h.stripe.customers.del(customer.id);
    const expanded = await h.stripe.paymentIntents.retrieve(pi.id, { expand: ['customer'] });
    expect(expanded.customer).toEqual({ id: customer.id, object: 'customer', deleted: true });
  });
});
