import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { prepareSubscription } from './subscription-statement';

// What the hot path leaves to applySubscription before it runs a statement: everything but the
// common case. (What it leaves after reading the stored row is proven in hot-path.int.test.ts.)

const NOW = 1_790_000_000;

function event(overrides: Record<string, unknown> = {}, itemOverrides: Record<string, unknown> = {}) {
  const item = {
    id: 'si_1',
    object: 'subscription_item',
    created: NOW - 60,
    quantity: 3,
    current_period_start: NOW - 60,
    current_period_end: NOW + 86_400,
    price: { id: 'price_1', lookup_key: 'pro_monthly', product: 'prod_1', recurring: { interval: 'month' } },
    ...itemOverrides,
  };
  return {
    id: 'evt_1',
    type: 'customer.subscription.updated',
    created: NOW,
    data: {
      object: {
        id: 'sub_1',
        object: 'subscription',
        customer: 'cus_1',
        status: 'active',
        cancel_at_period_end: true,
        created: NOW - 60,
        livemode: false,
        latest_invoice: { id: 'in_1' },
        trial_start: null,
        items: { object: 'list', has_more: false, data: [item] },
        ...overrides,
      },
    },
  } as unknown as Stripe.Event;
}

describe('prepareSubscription', () => {
  it('takes the common case, with the handler’s outcome text', () => {
    const prepared = prepareSubscription(event(), NOW * 1000);
    expect(prepared?.outcome).toBe('subscription sub_1 now active (cancels at period end)');
    expect(prepared?.skipped).toBe('skipped subscription sub_1: event older than stored');
    // id, customer, event time, status, price, lookup key, product, plan, interval, quantity
    expect(prepared?.params.slice(0, 10)).toEqual([
      'sub_1',
      'cus_1',
      NOW,
      'active',
      'price_1',
      'pro_monthly',
      'prod_1',
      'pro',
      'month',
      3,
    ]);
    expect(prepared?.params[18]).toBe('in_1'); // an expanded latest_invoice is its id
  });

  it('leaves to the handler a truncated item list, no items, duplicate item ids and a per-seat plan', () => {
    const item = event().data.object as Stripe.Subscription;
    expect(prepareSubscription(event({ items: { ...item.items, has_more: true } }), NOW * 1000)).toBeNull();
    expect(prepareSubscription(event({ items: { ...item.items, data: [] } }), NOW * 1000)).toBeNull();
    expect(
      prepareSubscription(
        event({ items: { ...item.items, data: [item.items.data[0], item.items.data[0]] } }),
        NOW * 1000,
      ),
    ).toBeNull();
    expect(
      prepareSubscription(
        event({}, { price: { id: 'price_t', lookup_key: 'team_monthly', product: 'p' } }),
        NOW * 1000,
      ),
    ).toBeNull();
  });

  it('leaves to the handler an event from more than a minute ahead of our clock (a test clock)', () => {
    expect(prepareSubscription(event(), (NOW - 61) * 1000)).toBeNull();
    expect(prepareSubscription(event(), (NOW - 59) * 1000)).not.toBeNull();
  });

  it('leaves to the handler what is not a subscription with a customer', () => {
    expect(prepareSubscription(event({ customer: null }), NOW * 1000)).toBeNull();
    expect(prepareSubscription(event({ object: 'invoice' }), NOW * 1000)).toBeNull();
  });
});
