import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { dashboardMetrics } from '@/lib/admin/metrics';
import { startCreditPurchase } from '@/lib/billing/credits/purchase';
import { reconcileCustomer } from '@/lib/billing/reconcile';
import { stripe } from '@/lib/billing/stripe';
import { processEvent } from '@/lib/billing/webhooks/process';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { db } from '@/lib/db';
import { createUser, eventsOfCustomer, payCheckout, priceId, actorOf } from '@/lib/testing/fixtures';
import { signedRequest } from '@/lib/testing/webhooks';

// The dashboard's MRR and revenue move by exactly what Stripe's own objects
// say for the same period, and reconcile brings them back after the mirror
// is damaged. Deltas, because other tests share the database and the emulator.

async function applyAll(customerId: string) {
  for (const event of await eventsOfCustomer(customerId)) {
    await receiveWebhook(signedRequest(JSON.stringify(event)));
    await processEvent(event.id);
  }
}

/** Stripe's monthly amount for a subscription: unit amount × quantity, a year counting as 12 months. */
function stripeMonthly(subscription: Stripe.Subscription): number {
  return subscription.items.data.reduce((sum, item) => {
    const amount = (item.price.unit_amount ?? 0) * (item.quantity ?? 1);
    return sum + (item.price.recurring?.interval === 'year' ? Math.round(amount / 12) : amount);
  }, 0);
}

/** Stripe's net revenue today for a customer: charges' amount less amount_refunded. */
async function stripeNetToday(customerId: string): Promise<number> {
  const today = new Date().toISOString().slice(0, 10);
  let net = 0;
  for await (const charge of stripe().charges.list({ customer: customerId, limit: 100 })) {
    if (charge.status !== 'succeeded') continue;
    if (new Date(charge.created * 1000).toISOString().slice(0, 10) !== today) continue;
    net += charge.amount - charge.amount_refunded;
  }
  return net;
}

describe('dashboard figures agree with Stripe', () => {
  it("moves MRR and today's revenue by Stripe's totals, and reconcile restores them after damage", async () => {
    const before = await dashboardMetrics();
    const s = stripe();
    const user = await createUser();
    const customer = await s.customers.create({ email: user.email, metadata: { user_id: user.id } });
    const pm = await s.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await s.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const monthly = await s.subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('pro_monthly'), quantity: 2 }],
    });
    const yearly = await s.subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('starter_yearly') }],
    });
    await applyAll(customer.id);
    const purchase = await startCreditPurchase(actorOf(user), { pack: 'credits_5000' });
    expect((await payCheckout(purchase.checkoutSessionId!)).status).toBe('complete');
    const intent = (await s.checkout.sessions.retrieve(purchase.checkoutSessionId!)).payment_intent as string;
    await s.refunds.create({ payment_intent: intent, amount: 700 });
    await applyAll(customer.id);

    const expectedMrr =
      stripeMonthly(await s.subscriptions.retrieve(monthly.id)) +
      stripeMonthly(await s.subscriptions.retrieve(yearly.id));
    const expectedRevenue = await stripeNetToday(customer.id);
    expect(expectedRevenue).toBeGreaterThan(0);
    const after = await dashboardMetrics();
    const today = (m: typeof after) => m.revenueByDay[m.revenueByDay.length - 1]!.cents;
    expect(after.mrr - before.mrr).toBe(expectedMrr);
    expect(today(after) - today(before)).toBe(expectedRevenue);
    expect(after.revenue30d - before.revenue30d).toBe(expectedRevenue);
    expect(after.refunds30d.cents - before.refunds30d.cents).toBe(700);

    // Damage the mirror: a subscription looks canceled, a refund is forgotten.
    await db.subscription.update({ where: { id: monthly.id }, data: { status: 'canceled' } });
    await db.refund.deleteMany({ where: { payment: { workspaceId: user.workspaceId } } });
    await db.payment.updateMany({
      where: { workspaceId: user.workspaceId, kind: 'credits' },
      data: { amountRefunded: 0 },
    });
    const damaged = await dashboardMetrics();
    expect(damaged.mrr - before.mrr).not.toBe(expectedMrr);
    expect(today(damaged) - today(before)).not.toBe(expectedRevenue);

    await reconcileCustomer(customer.id);
    const repaired = await dashboardMetrics();
    expect(repaired.mrr - before.mrr).toBe(expectedMrr);
    expect(today(repaired) - today(before)).toBe(expectedRevenue);
  });
});
