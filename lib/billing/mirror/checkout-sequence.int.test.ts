import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { accessOf } from '@/lib/billing/entitlements';
import { stripe } from '@/lib/billing/stripe';
import { processEvent } from '@/lib/billing/webhooks/process';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { db } from '@/lib/db';
import { createUser, eventsOfCustomer, payCheckout, priceId } from '@/lib/testing/fixtures';
import { signedRequest } from '@/lib/testing/webhooks';

/** A Starter subscription bought through Checkout; returns every event about it, oldest first. */
async function checkoutSubscription(userId: string, card = '4242424242424242') {
  const s = stripe();
  const customer = await s.customers.create({
    email: `c-${userId}@example.com`,
    metadata: { user_id: userId },
  });
  const session = await s.checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    client_reference_id: userId,
    line_items: [{ price: await priceId('starter_monthly'), quantity: 1 }],
    subscription_data: { metadata: { user_id: userId, plan: 'starter' } },
    success_url: 'http://127.0.0.1/billing/success',
    cancel_url: 'http://127.0.0.1/pricing',
  });
  expect((await payCheckout(session.id, card)).status).toBe('complete');
  return eventsOfCustomer(customer.id);
}

async function deliver(events: Stripe.Event[]) {
  for (const event of events) {
    expect((await receiveWebhook(signedRequest(JSON.stringify(event)))).status).toBe(200);
    await processEvent(event.id);
  }
}

const statusOf = (event: Stripe.Event) => (event.data.object as Stripe.Subscription).status;

// Stripe sends a Checkout subscription as `created` (incomplete) then `updated` (active), in
// the same second: https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses
describe('a Checkout subscription announced incomplete, then active', () => {
  it('ends active with premium access whether the events arrive in order or newest first', async () => {
    for (const order of ['in order', 'newest first'] as const) {
      const user = await createUser();
      const events = await checkoutSubscription(user.id);
      const lifecycle = events.filter((e) => e.type.startsWith('customer.subscription.'));
      expect(lifecycle.map((e) => [e.type, statusOf(e)])).toEqual([
        ['customer.subscription.created', 'incomplete'],
        ['customer.subscription.updated', 'active'],
      ]);
      await deliver(order === 'in order' ? events : [...events].reverse());
      const rows = await db.subscription.findMany({
        where: { workspaceId: user.workspaceId },
        select: { status: true },
      });
      expect(rows, order).toEqual([{ status: 'active' }]);
      expect((await accessOf(user.workspaceId)).keys, order).toContain('premium_reports');
    }
  });

  it('grants nothing while the first payment waits for 3-D Secure', async () => {
    const user = await createUser();
    const s = stripe();
    const customer = await s.customers.create({
      email: `c-${user.id}@example.com`,
      metadata: { user_id: user.id },
    });
    const session = await s.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: await priceId('starter_monthly'), quantity: 1 }],
      success_url: 'http://127.0.0.1/billing/success',
      cancel_url: 'http://127.0.0.1/pricing',
    });
    expect((await payCheckout(session.id, '4000002760003184')).status).toBe('requires_action');
    await deliver(await eventsOfCustomer(customer.id));
    const rows = await db.subscription.findMany({
      where: { workspaceId: user.workspaceId },
      select: { status: true },
    });
    expect(rows).toEqual([{ status: 'incomplete' }]);
    expect((await accessOf(user.workspaceId)).keys).not.toContain('premium_reports');
  });
});
