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

/** Resolves once another backend is blocked by the backend `pid`. */
async function someoneWaitsOn(pid: number): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    const [row] = await db.$queryRaw<Array<{ waiting: bigint }>>`
      SELECT count(*) AS waiting FROM pg_stat_activity WHERE ${pid}::int = ANY(pg_blocking_pids(pid))`;
    if (row && row.waiting > 0n) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no backend ever waited on ${pid}`);
}

/** A Stripe customer of `userId` who has just subscribed to Starter through Checkout (nothing mirrored yet). */
async function checkoutCustomer(userId: string): Promise<string> {
  const s = stripe();
  const customer = await s.customers.create({
    email: `lock-${userId}@example.com`,
    metadata: { user_id: userId },
  });
  const session = await s.checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    line_items: [{ price: await priceId('starter_monthly'), quantity: 1 }],
    subscription_data: { metadata: { user_id: userId, plan: 'starter' } },
    success_url: 'http://127.0.0.1/billing/success',
    cancel_url: 'http://127.0.0.1/pricing',
  });
  expect((await payCheckout(session.id)).status).toBe('complete');
  return customer.id;
}

describe('the lock order of one Checkout’s events', () => {
  it('applies checkout.session.completed and customer.subscription.created of an unseen customer concurrently, without a deadlock', async () => {
    const user = await createUser();
    const customerId = await checkoutCustomer(user.id);
    const events = await eventsOfCustomer(customerId);
    const completed = events.find((e) => e.type === 'checkout.session.completed');
    const created = events.find((e) => e.type === 'customer.subscription.created');
    if (!completed || !created) throw new Error('the Checkout sent no completion or subscription event');
    const subscriptionId = (created.data.object as Stripe.Subscription).id;
    // Neither the customer nor the subscription is mirrored yet: both handlers may create the customer.
    expect(await db.customer.findUnique({ where: { id: customerId } })).toBeNull();

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
    const row = await db.subscription.findUnique({ where: { id: subscriptionId }, select: { status: true } });
    expect(row).toEqual({ status: 'active' });
  });

  // Events ahead of our clock (test clocks, the emulator's advanced clock) write the customer's
  // observedAt. Two of them that first shared the Customer row and then upgraded to write it
  // waited on each other: the 40P01s seen between invoice events of one Checkout in E2E runs.
  it('applies two events of one customer from ahead of our clock concurrently, without a deadlock', async () => {
    const user = await createUser();
    const customerId = await checkoutCustomer(user.id);
    // Everything applied once, so the customer is mirrored; then two events from two days ahead.
    for (const event of await eventsOfCustomer(customerId))
      if (handlerFor(event.type)) await db.$transaction((tx) => apply(tx, event));
    const ahead = Math.floor(Date.now() / 1000) + 2 * 86_400;
    const events = await eventsOfCustomer(customerId);
    const first = events.find((e) => e.type === 'invoice.paid');
    const second = events.find((e) => e.type === 'customer.subscription.updated');
    if (!first || !second) throw new Error('the Checkout sent no invoice.paid or subscription update');

    // The second event has shared the customer's row (lockCustomerRow, its step 3) when the first
    // starts; it goes on once the first waits for it.
    let shared!: (pid: number) => void;
    const rowShared = new Promise<number>((resolve) => (shared = resolve));
    const secondEvent = db.$transaction(
      async (tx) => {
        await lockObject(tx, (second.data.object as Stripe.Subscription).id);
        await tx.$queryRaw`SELECT id FROM "Customer" WHERE id = ${customerId} FOR SHARE`;
        const [me] = await tx.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`;
        shared(me?.pid ?? 0);
        await someoneWaitsOn(me?.pid ?? 0);
        return apply(tx, { ...second, created: ahead });
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    await rowShared;
    const firstEvent = db.$transaction((tx) => apply(tx, { ...first, created: ahead }), {
      timeout: 30_000,
      maxWait: 10_000,
    });

    const results = await Promise.allSettled([secondEvent, firstEvent]);
    expect(results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []))).toEqual([]);
    const stored = await db.customer.findUnique({ where: { id: customerId }, select: { observedAt: true } });
    expect(stored?.observedAt?.getTime()).toBe(ahead * 1000);
  });
});
