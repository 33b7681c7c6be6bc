import { describe, expect, it } from 'vitest';
import { harnessPerTest, stripeError } from './helpers';

const h = harnessPerTest();

// https://docs.stripe.com/search#search-query-language and https://docs.stripe.com/api/customers/search
describe('search', () => {
  it('finds customers by email, metadata and created, with AND / OR and negation', async () => {
    const ann = await h.stripe.customers.create({ email: 'ann@example.com', metadata: { plan: 'pro' } });
    const bob = await h.stripe.customers.create({ email: 'bob@example.com', metadata: { plan: 'free' } });
    const byEmail = await h.stripe.customers.search({ query: "email:'ann@example.com'" });
    expect(byEmail.object).toBe('search_result');
    expect(byEmail.data.map((c) => c.id)).toEqual([ann.id]);
    const byMeta = await h.stripe.customers.search({ query: "metadata['plan']:'free'" });
    expect(byMeta.data.map((c) => c.id)).toEqual([bob.id]);
    const either = await h.stripe.customers.search({
      query: "email:'ann@example.com' OR email:'bob@example.com'",
    });
    expect(either.data.map((c) => c.id).sort()).toEqual([ann.id, bob.id].sort());
    const both = await h.stripe.customers.search({
      query: `created>=${ann.created} AND -metadata['plan']:'pro'`,
    });
    expect(both.data.map((c) => c.id)).toEqual([bob.id]);
    const sub = await h.stripe.customers.search({ query: "email~'example.com'", limit: 1 });
    expect(sub).toMatchObject({ has_more: true });
    const next = await h.stripe.customers.search({
      query: "email~'example.com'",
      limit: 1,
      page: sub.next_page!,
    });
    expect(next.data).toHaveLength(1);
    expect(next.data[0]?.id).not.toBe(sub.data[0]?.id);
  });

  it('finds payment intents by status and customer, and refuses unsupported fields and bad syntax with 400', async () => {
    const customer = await h.stripe.customers.create();
    const pi = await h.stripe.paymentIntents.create({ amount: 700, currency: 'usd', customer: customer.id });
    const found = await h.stripe.paymentIntents.search({
      query: `status:'requires_payment_method' AND customer:'${customer.id}'`,
    });
    expect(found.data.map((p) => p.id)).toEqual([pi.id]);
    expect((await h.stripe.paymentIntents.search({ query: "status:'succeeded'" })).data).toEqual([]);
    const unsupported = await stripeError(h.stripe.subscriptions.search({ query: "shoe_size:'9'" }));
    expect(unsupported).toMatchObject({ statusCode: 400, param: 'query' });
    const broken = await stripeError(h.stripe.invoices.search({ query: 'status = open' }));
    expect(broken).toMatchObject({ statusCode: 400, param: 'query' });
  });
});
