// Two subscriptions' lives on a test clock set in the past (so events are minutes apart and
// never ahead of our clock), and what the mirror must hold for them: the applier's property
// tests (hot-path.int.test.ts, batch.int.test.ts) deliver their events in any order.
import { stripe } from '@/lib/billing/stripe';
import { planItem } from '@/lib/billing/mirror/subscription-items';
import { db } from '@/lib/db';
import { priceId } from '@/lib/testing/fixtures';

const MINUTE = 60;
const DAY = 86_400;

export async function life(userId: string) {
  const s = stripe();
  const clock = await s.testHelpers.testClocks.create({
    frozen_time: Math.floor(Date.now() / 1000) - 40 * DAY,
  });
  const advance = async (seconds: number) => {
    const current = await s.testHelpers.testClocks.retrieve(clock.id);
    await s.testHelpers.testClocks.advance(clock.id, { frozen_time: current.frozen_time + seconds });
  };
  const customer = await s.customers.create({
    email: `hot-${userId}@example.com`,
    metadata: { user_id: userId },
    test_clock: clock.id,
  });
  const visa = await s.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await s.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
  const a = await s.subscriptions.create({
    customer: customer.id,
    items: [{ price: await priceId('starter_monthly') }],
  });
  await advance(10 * MINUTE);
  const b = await s.subscriptions.create({
    customer: customer.id,
    items: [{ price: await priceId('pro_monthly') }],
    trial_period_days: 7,
  });
  await advance(10 * MINUTE);
  await s.subscriptions.update(a.id, { items: [{ id: a.items.data[0]!.id, quantity: 3 }] });
  await advance(10 * MINUTE);
  await s.subscriptions.update(b.id, { cancel_at_period_end: true });
  await advance(10 * MINUTE);
  await s.subscriptions.update(a.id, {
    items: [{ id: a.items.data[0]!.id, deleted: true }, { price: await priceId('pro_monthly') }],
    proration_behavior: 'none',
  });
  await advance(10 * MINUTE);
  await s.subscriptions.update(b.id, { cancel_at_period_end: false });
  await advance(8 * DAY); // b's trial ends and is paid
  const failing = await s.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
  await s.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
  await advance(23 * DAY); // a renews on the failing card: past_due
  await advance(10 * MINUTE);
  const aNow = await s.subscriptions.retrieve(a.id);
  await s.subscriptions.update(a.id, {
    items: [{ id: aNow.items.data[0]!.id, quantity: 2 }],
    proration_behavior: 'none',
  });
  await advance(10 * MINUTE);
  await s.subscriptions.cancel(b.id);
  return { customer, subscriptionIds: [a.id, b.id] };
}

const at = (seconds: number | null | undefined) => (seconds == null ? null : new Date(seconds * 1000));

/** What the mirror must hold for a subscription, read from Stripe now. */
export async function stripeView(subscriptionId: string) {
  const subscription = await stripe().subscriptions.retrieve(subscriptionId);
  const item = planItem(subscription.items.data)!;
  return {
    status: subscription.status,
    priceId: item.price.id,
    quantity: item.quantity ?? 1,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    currentPeriodStart: at(item.current_period_start),
    currentPeriodEnd: at(item.current_period_end),
    canceledAt: at(subscription.canceled_at),
    endedAt: at(subscription.ended_at),
    trialStart: at(subscription.trial_start),
    trialEnd: at(subscription.trial_end),
    latestInvoiceId: typeof subscription.latest_invoice === 'string' ? subscription.latest_invoice : null,
    // The grace period runs from the start of the period whose invoice failed.
    pastDueSince: subscription.status === 'past_due' ? at(item.current_period_start) : null,
    items: subscription.items.data
      .map((i) => ({ id: i.id, priceId: i.price.id, quantity: i.quantity ?? 1 }))
      .sort((x, y) => (x.id < y.id ? -1 : 1)),
  };
}

export async function mirrorView(subscriptionId: string) {
  const row = await db.subscription.findUniqueOrThrow({
    where: { id: subscriptionId },
    select: {
      status: true,
      priceId: true,
      quantity: true,
      cancelAtPeriodEnd: true,
      currentPeriodStart: true,
      currentPeriodEnd: true,
      canceledAt: true,
      endedAt: true,
      trialStart: true,
      trialEnd: true,
      latestInvoiceId: true,
      pastDueSince: true,
      items: { select: { id: true, priceId: true, quantity: true } },
    },
  });
  return { ...row, items: row.items.sort((x, y) => (x.id < y.id ? -1 : 1)) };
}

export async function wipe(workspaceId: string, eventIds: string[]) {
  await db.$transaction([
    db.creditLedger.deleteMany({ where: { workspaceId } }),
    db.payment.deleteMany({ where: { workspaceId } }),
    db.customer.deleteMany({ where: { workspaceId } }),
    db.workspace.update({ where: { id: workspaceId }, data: { creditBalance: 0, trialUsedAt: null } }),
    db.webhookEvent.deleteMany({ where: { id: { in: eventIds } } }),
  ]);
}
