import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { processEvent } from '@/lib/billing/webhooks/process';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { createUser, customerOnClock, eventsOfCustomer, priceId, shuffle } from '@/lib/testing/fixtures';
import { signedRequest } from '@/lib/testing/webhooks';

/** Record events without applying them (the route's first half). */
async function record(events: Stripe.Event[]) {
  for (const event of events) {
    const response = await receiveWebhook(signedRequest(JSON.stringify(event)));
    expect(response.status).toBe(200);
  }
}

/** The rows a user would see the effects of; timestamps that only say when we wrote a row are left out. */
async function mirrorOf(owner: { id: string; workspaceId: string }) {
  const { id: userId, workspaceId } = owner;
  const [customer, subscriptions, invoices, payments, ledger, user, emails] = await Promise.all([
    db.customer.findUnique({
      where: { workspaceId },
      select: {
        id: true,
        email: true,
        deleted: true,
        entitlementsAt: true,
        observedAt: true,
        entitlements: { select: { lookupKey: true }, orderBy: { lookupKey: 'asc' } },
      },
    }),
    db.subscription.findMany({
      where: { workspaceId },
      omit: { createdAt: true, updatedAt: true },
      orderBy: { id: 'asc' },
    }),
    db.invoice.findMany({
      where: { customer: { workspaceId } },
      omit: { createdAt: true, updatedAt: true },
      orderBy: { id: 'asc' },
    }),
    db.payment.findMany({
      where: { workspaceId },
      omit: { id: true, createdAt: true, updatedAt: true },
      orderBy: { invoiceId: 'asc' },
    }),
    db.creditLedger.findMany({
      where: { workspaceId },
      select: { kind: true, amount: true, sourceKey: true },
      orderBy: { sourceKey: 'asc' },
    }),
    db.user.findUniqueOrThrow({
      where: { id: userId },
      select: { email: true, personalWorkspace: { select: { creditBalance: true } } },
    }),
    db.email.findMany({ select: { dedupeKey: true, to: true }, orderBy: { dedupeKey: 'asc' } }),
  ]);
  return {
    customer,
    subscriptions,
    invoices,
    payments,
    ledger,
    balance: user.personalWorkspace?.creditBalance,
    emails: emails.filter((e) => e.to === user.email || e.to.includes(userId)),
  };
}

async function wipe(owner: { id: string; workspaceId: string }, eventIds: string[]) {
  const { id: userId, workspaceId } = owner;
  await db.$transaction([
    db.creditLedger.deleteMany({ where: { workspaceId } }),
    db.payment.deleteMany({ where: { workspaceId } }),
    db.customer.deleteMany({ where: { workspaceId } }),
    db.workspace.update({ where: { id: workspaceId }, data: { creditBalance: 0 } }),
    db.webhookEvent.deleteMany({ where: { id: { in: eventIds } } }),
    db.email.deleteMany({ where: { to: { contains: userId } } }),
  ]);
}

describe("a subscription's whole life", () => {
  it('gives the same rows delivered three times, shuffled and concurrently, as delivered once in order', async () => {
    const user = await createUser();
    const { customer, advanceDays } = await customerOnClock(user.id);
    const s = stripe();
    const subscription = await s.subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('starter_monthly') }],
    });
    await advanceDays(31.1); // renewal
    await s.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]!.id, price: await priceId('pro_monthly') }],
    }); // plan switch
    await s.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    await advanceDays(32); // ends at period end

    const events = await eventsOfCustomer(customer.id);
    const types = new Set(events.map((e) => e.type));
    for (const type of [
      'customer.subscription.created',
      'customer.subscription.updated',
      'customer.subscription.deleted',
      'invoice.paid',
      'entitlements.active_entitlement_summary.updated',
    ]) {
      expect(types, type).toContain(type);
    }

    // Once, in order.
    await record(events);
    for (const event of events) await processEvent(event.id);
    const ordered = await mirrorOf(user);
    expect(ordered.subscriptions).toHaveLength(1);
    expect(ordered.subscriptions[0]).toMatchObject({
      status: 'canceled',
      planKey: 'pro',
      cancelAtPeriodEnd: true,
    });
    expect(ordered.customer?.entitlements).toEqual([]);
    expect(ordered.invoices.filter((i) => i.status === 'paid').length).toBeGreaterThanOrEqual(2);
    expect(ordered.ledger.filter((e) => e.kind === 'subscription_allocation').length).toBeGreaterThanOrEqual(
      2,
    );

    // Three times each, shuffled, all at once.
    await wipe(
      user,
      events.map((e) => e.id),
    );
    await record(shuffle(events));
    await Promise.all(shuffle([...events, ...events, ...events]).map((event) => processEvent(event.id)));
    const chaotic = await mirrorOf(user);
    expect(chaotic).toEqual(ordered);
  });

  it('settles a same-second tie by asking Stripe, in either order', async () => {
    const user = await createUser();
    const { customer } = await customerOnClock(user.id);
    const subscription = await stripe().subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('starter_monthly') }],
    });
    const created = Math.floor(Date.now() / 1000) + 10_000;
    const base = {
      object: 'event',
      api_version: '2026-10-28.endive',
      created,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'customer.subscription.updated',
    };
    const stale = {
      ...base,
      id: `evt_tie_a_${subscription.id}`,
      data: { object: { ...subscription, status: 'past_due' } },
    };
    const truth = {
      ...base,
      id: `evt_tie_b_${subscription.id}`,
      data: { object: { ...subscription, status: 'active', cancel_at_period_end: true } },
    };
    // Stripe's current state: active, not canceling. Both events claim the same second.
    for (const order of [
      [stale, truth],
      [truth, stale],
    ]) {
      await db.subscription.deleteMany({ where: { id: subscription.id } });
      await db.webhookEvent.deleteMany({ where: { id: { in: [stale.id, truth.id] } } });
      await record(order as unknown as Stripe.Event[]);
      for (const event of order) await processEvent(event.id);
      const row = await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
      expect({ status: row.status, cancelAtPeriodEnd: row.cancelAtPeriodEnd }).toEqual({
        status: 'active',
        cancelAtPeriodEnd: false,
      });
    }
  });

  it('never resurrects a deleted subscription from a late, older update', async () => {
    const user = await createUser();
    const { customer } = await customerOnClock(user.id);
    const s = stripe();
    const subscription = await s.subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('starter_monthly') }],
    });
    await s.subscriptions.cancel(subscription.id);
    const events = (await eventsOfCustomer(customer.id)).filter((e) =>
      e.type.startsWith('customer.subscription.'),
    );
    const deleted = events.filter((e) => e.type === 'customer.subscription.deleted');
    const earlier = events.filter(
      (e) => e.type !== 'customer.subscription.deleted' && e.created < deleted[0]!.created,
    );
    expect(deleted).toHaveLength(1);
    await record([...deleted, ...earlier]);
    await processEvent(deleted[0]!.id);
    for (const event of earlier) await processEvent(event.id);
    const row = await db.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    expect(row.status).toBe('canceled');
  });
});
