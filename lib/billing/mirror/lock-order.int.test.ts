import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { stripe } from '@/lib/billing/stripe';
import { handlerFor } from '@/lib/billing/webhooks/handlers';
import { db, type Tx } from '@/lib/db';
import { createUser, eventsOfCustomer, payCheckout, priceId } from '@/lib/testing/fixtures';
import { lockObject } from './guard';

// Events of one Checkout apply concurrently (apply_event jobs on different queues). Every mirror
// writer takes its locks in one order (guard.ts, ADR 0007): the object's lock, then the customer.
// checkout.session.completed used to take the customer first (creating its row when it was the
// first event seen) and the subscription's lock second, while customer.subscription.created
// holds the subscription's lock and waits for the customer: PostgreSQL answered 40P01.

function apply(tx: Tx, event: Stripe.Event): Promise<string> {
  const handler = handlerFor(event.type);
  if (!handler) throw new Error(`no handler for ${event.type}`);
  return handler(event, { tx, stripe: stripe(), eventAt: new Date(event.created * 1000) });
}

/** Resolves once another transaction waits for the advisory lock of `stripeId` (lockObject's key). */
async function someoneWaitsFor(stripeId: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    const [row] = await db.$queryRaw<Array<{ waiting: bigint }>>`
      SELECT count(*) AS waiting FROM pg_locks
      WHERE locktype = 'advisory' AND NOT granted
        AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(${stripeId}, 0)`;
    if (row && row.waiting > 0n) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no transaction ever waited for the lock of ${stripeId}`);
}

describe('the lock order of one Checkout’s events', () => {
  it('applies checkout.session.completed and customer.subscription.created of an unseen customer concurrently, without a deadlock', async () => {
    const user = await createUser();
    const s = stripe();
    const customer = await s.customers.create({
      email: `lock-${user.id}@example.com`,
      metadata: { user_id: user.id },
    });
    const session = await s.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: await priceId('starter_monthly'), quantity: 1 }],
      subscription_data: { metadata: { user_id: user.id, plan: 'starter' } },
      success_url: 'http://127.0.0.1/billing/success',
      cancel_url: 'http://127.0.0.1/pricing',
    });
    expect((await payCheckout(session.id)).status).toBe('complete');
    const events = await eventsOfCustomer(customer.id);
    const completed = events.find((e) => e.type === 'checkout.session.completed');
    const created = events.find((e) => e.type === 'customer.subscription.created');
    if (!completed || !created) throw new Error('the Checkout sent no completion or subscription event');
    const subscriptionId = (created.data.object as Stripe.Subscription).id;
    // Neither the customer nor the subscription is mirrored yet: both handlers may create the customer.
    expect(await db.customer.findUnique({ where: { id: customer.id } })).toBeNull();

    // The subscription event has taken its first lock (as applySubscription does first) when the
    // completion starts; it goes on once the completion waits for that lock.
    let locked!: () => void;
    const subscriptionLocked = new Promise<void>((resolve) => (locked = resolve));
    const subscriptionEvent = db.$transaction(
      async (tx) => {
        await lockObject(tx, subscriptionId);
        locked();
        await someoneWaitsFor(subscriptionId);
        return apply(tx, created);
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    await subscriptionLocked;
    const completionEvent = db.$transaction((tx) => apply(tx, completed), {
      timeout: 30_000,
      maxWait: 10_000,
    });

    const results = await Promise.allSettled([subscriptionEvent, completionEvent]);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failures).toEqual([]);
    const rows = await db.subscription.findMany({
      where: { workspaceId: user.workspaceId },
      select: { id: true, status: true },
    });
    expect(rows).toEqual([{ id: subscriptionId, status: 'active' }]);
  });
});
