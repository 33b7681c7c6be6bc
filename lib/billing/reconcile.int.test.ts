import { describe, expect, it } from 'vitest';
import { processEvent } from '@/lib/billing/webhooks/process';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { startCreditPurchase } from '@/lib/billing/credits/purchase';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import {
  createUser,
  customerOnClock,
  eventsOfCustomer,
  payCheckout,
  priceId,
  actorOf,
  workspaceBalance,
} from '@/lib/testing/fixtures';
import { signedRequest } from '@/lib/testing/webhooks';
import { reconcileCustomer } from './reconcile';

async function applyAll(customerId: string) {
  for (const event of await eventsOfCustomer(customerId)) {
    await receiveWebhook(signedRequest(JSON.stringify(event)));
    await processEvent(event.id);
  }
}

async function mirror(workspaceId: string) {
  const [customer, subscriptions, invoices, payments, refunds] = await Promise.all([
    db.customer.findUnique({
      where: { workspaceId },
      select: {
        id: true,
        email: true,
        deleted: true,
        entitlements: { select: { lookupKey: true }, orderBy: { lookupKey: 'asc' } },
      },
    }),
    db.subscription.findMany({
      where: { workspaceId },
      omit: { createdAt: true, updatedAt: true, lastEventAt: true },
      orderBy: { id: 'asc' },
    }),
    db.invoice.findMany({
      where: { customer: { workspaceId } },
      omit: { createdAt: true, updatedAt: true, lastEventAt: true },
      orderBy: { id: 'asc' },
    }),
    db.payment.findMany({
      where: { workspaceId },
      select: {
        kind: true,
        status: true,
        amount: true,
        amountRefunded: true,
        credits: true,
        paymentIntentId: true,
        chargeId: true,
        invoiceId: true,
        checkoutSessionId: true,
      },
      orderBy: [{ invoiceId: 'asc' }, { checkoutSessionId: 'asc' }],
    }),
    db.refund.findMany({
      where: { payment: { workspaceId } },
      select: { id: true, amount: true, status: true, chargeId: true, currency: true },
      orderBy: { id: 'asc' },
    }),
  ]);
  return { customer, subscriptions, invoices, payments, refunds };
}

describe('reconciliation', () => {
  it('restores dropped and corrupted mirror rows exactly, and reports what it changed', async () => {
    const user = await createUser();
    const { customer, advanceDays } = await customerOnClock(user.id);
    const s = stripe();
    const subscription = await s.subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('pro_monthly') }],
    });
    await advanceDays(31.1);
    await applyAll(customer.id);
    // A credit purchase on the same customer, partly refunded.
    const payment = await startCreditPurchase(actorOf(user), { pack: 'credits_5000' });
    expect((await payCheckout(payment.checkoutSessionId!)).status).toBe('complete');
    const intent = (await s.checkout.sessions.retrieve(payment.checkoutSessionId!)).payment_intent as string;
    await s.refunds.create({ payment_intent: intent, amount: 1500 });
    await applyAll(customer.id);
    const good = await mirror(user.workspaceId);
    expect(good.subscriptions).toHaveLength(1);
    expect(good.customer?.entitlements.map((e) => e.lookupKey)).toEqual([
      'api_access',
      'premium_reports',
      'priority_support',
    ]);
    expect(good.refunds).toHaveLength(1);
    expect(good.payments.find((p) => p.kind === 'credits')).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 1500,
    });

    // Drop and corrupt.
    await db.subscription.update({
      where: { id: subscription.id },
      data: { status: 'canceled', cancelAtPeriodEnd: true, planKey: 'starter' },
    });
    const [firstInvoice] = good.invoices;
    await db.invoice.delete({ where: { id: firstInvoice!.id } });
    await db.entitlement.deleteMany({ where: { customerId: customer.id } });
    await db.refund.deleteMany({ where: { payment: { workspaceId: user.workspaceId } } });
    await db.payment.update({ where: { id: payment.id }, data: { status: 'completed', amountRefunded: 0 } });
    await db.payment.deleteMany({ where: { workspaceId: user.workspaceId, kind: 'subscription' } });
    expect(await mirror(user.workspaceId)).not.toEqual(good);

    const changes = await reconcileCustomer(customer.id);
    expect(await mirror(user.workspaceId)).toEqual(good);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^repaired subscription ${subscription.id} \\(.*status`)),
        `restored invoice ${firstInvoice!.id}`,
        expect.stringMatching(/^restored refund re_/),
        expect.stringMatching(/^repaired customer cus_.*entitlements/),
      ]),
    );
    // A second run finds nothing to repair.
    expect(await reconcileCustomer(customer.id)).toEqual([]);
  });

  it('pulls disputes whose charge.dispute.* events never arrived: the credits follow the chargeback', async () => {
    const admin = await createUser({ role: 'admin' });
    const user = await createUser();
    const payment = await startCreditPurchase(actorOf(user), { pack: 'credits_1000' });
    expect((await payCheckout(payment.checkoutSessionId!, '4000000000000259')).status).toBe('complete');
    const customerId = (await db.customer.findUniqueOrThrow({ where: { workspaceId: user.workspaceId } })).id;
    // Every event but the dispute's is delivered: the dispute's were lost on the way.
    for (const event of await eventsOfCustomer(customerId)) {
      if (event.type.startsWith('charge.dispute.')) continue;
      await receiveWebhook(signedRequest(JSON.stringify(event)));
      await processEvent(event.id);
    }
    const balance = async () => await workspaceBalance(user.workspaceId);
    expect(await balance()).toBe(1000);
    expect(await db.dispute.count({ where: { paymentId: payment.id } })).toBe(0);

    const changes = await reconcileCustomer(customerId);
    const dispute = await db.dispute.findFirstOrThrow({ where: { paymentId: payment.id } });
    expect(dispute).toMatchObject({ status: 'needs_response', fundsWithdrawn: true, amount: 1000 });
    expect(changes).toEqual(expect.arrayContaining([`restored dispute ${dispute.id}`]));
    expect(await balance()).toBe(0);
    expect(
      await db.email.count({
        where: { to: admin.email, dedupeKey: `dispute-opened:${dispute.id}:${admin.id}` },
      }),
    ).toBe(1);
    expect(await reconcileCustomer(customerId)).toEqual([]);

    // Won at Stripe, and again no event arrives: the next reconcile gives the credits back.
    await stripe().disputes.update(dispute.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    expect(await reconcileCustomer(customerId)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^repaired dispute ${dispute.id} \\(.*status`)),
      ]),
    );
    expect(await db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).toMatchObject({
      status: 'won',
      fundsWithdrawn: false,
    });
    expect(await balance()).toBe(1000);
  });
});
