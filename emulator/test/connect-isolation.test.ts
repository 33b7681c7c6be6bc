import fc from 'fast-check';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { sdkWith, sessionOn, standalone } from './connect-helpers';
import { harnessPerTest, pay } from './helpers';

const h = harnessPerTest();

/** How a caller reaches an account: the platform key (+ Stripe-Account) or the account's own key. */
interface Caller {
  name: string;
  stripe: Stripe;
  options: Stripe.RequestOptions;
}

describe('account scoping (property)', () => {
  it('never shows an object created under one account to another', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.array(fc.record({ who: fc.nat(), kind: fc.constantFrom('customer', 'product') }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (connectedCount, standaloneCount, creations) => {
          await h.post('/_emulator/reset');
          const callers: Caller[] = [{ name: 'platform', stripe: h.stripe, options: {} }];
          for (let i = 0; i < connectedCount; i++) {
            const account = await h.stripe.accounts.create({ type: 'express' });
            callers.push({ name: account.id, stripe: h.stripe, options: { stripeAccount: account.id } });
          }
          for (let i = 0; i < standaloneCount; i++) {
            const shop = await standalone(h);
            callers.push({ name: shop.id, stripe: sdkWith(h, shop.restricted_key), options: {} });
          }
          const owned = new Map<string, string[]>(callers.map((c) => [c.name, []]));
          for (const { who, kind } of creations) {
            const caller = callers[who % callers.length] as Caller;
            const created =
              kind === 'customer'
                ? await caller.stripe.customers.create({}, caller.options)
                : await caller.stripe.products.create({ name: 'P' }, caller.options);
            owned.get(caller.name)?.push(created.id);
          }
          const everything = [...owned.values()].flat();
          for (const caller of callers) {
            const customers = await caller.stripe.customers.list({ limit: 100 }, caller.options);
            const products = await caller.stripe.products.list({ limit: 100 }, caller.options);
            const seen = [...customers.data, ...products.data].map((o) => o.id).sort();
            expect(seen).toEqual([...(owned.get(caller.name) ?? [])].sort());
            for (const id of everything) {
              if (owned.get(caller.name)?.includes(id)) continue;
              const read = id.startsWith('cus_')
                ? caller.stripe.customers.retrieve(id, {}, caller.options)
                : caller.stripe.products.retrieve(id, {}, caller.options);
              await expect(read).rejects.toMatchObject({ statusCode: 404 });
            }
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('keeps accounts apart under a storm of interleaved requests and payments', async () => {
    // A pause inside every request makes the concurrent ones overlap in the emulator.
    await h.post('/_emulator/chaos', { apiDelayMs: 5 });
    const accounts = await Promise.all(
      Array.from({ length: 4 }, () => h.stripe.accounts.create({ type: 'standard' })),
    );
    const callers = accounts.map((a) => ({ stripeAccount: a.id }));
    const created = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const options = callers[i % callers.length] ?? { stripeAccount: '' };
        const customer = await h.stripe.customers.create({ metadata: { i: String(i) } }, options);
        return { account: options.stripeAccount, id: customer.id };
      }),
    );
    const sessions = await Promise.all(callers.map((options) => sessionOn(h.stripe, options)));
    await Promise.all(sessions.map((session) => pay(h, session.id, '4242424242424242')));
    for (const options of callers) {
      const listed = await h.stripe.customers.list({ limit: 100 }, options);
      const mine = created.filter((c) => c.account === options.stripeAccount).map((c) => c.id);
      // Each payer became a customer of the account it paid.
      expect(
        listed.data
          .map((c) => c.id)
          .filter((id) => mine.includes(id))
          .sort(),
      ).toEqual(mine.sort());
      expect(listed.data).toHaveLength(mine.length + 1);
      const charges = await h.stripe.charges.list({}, options);
      expect(charges.data).toHaveLength(1);
    }
    expect((await h.stripe.customers.list()).data).toEqual([]);
    expect((await h.stripe.charges.list()).data).toEqual([]);
  });
});
