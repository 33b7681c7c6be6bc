import 'server-only';
import { randomBytes } from 'node:crypto';
import { audit } from '@/lib/audit';
import type { CurrentUser } from '@/lib/auth/session';
import { newReferralCode } from '@/lib/auth/referral-code';
import { db } from '@/lib/db';

// Sample rows let a self-hoster explore the back office before configuring a
// key. Every row is marked `sample`, and all of them are removed the first
// time the app starts with a live key.
export const SAMPLE_USER_EMAIL = 'sample.customer@example.invalid';

export async function loadSampleData(actor: CurrentUser): Promise<void> {
  if (await db.user.findUnique({ where: { email: SAMPLE_USER_EMAIL } })) return;
  const tag = randomBytes(6).toString('hex');
  const now = Date.now();
  const day = 86_400_000;
  await db.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: {
        email: SAMPLE_USER_EMAIL,
        name: 'Sample Customer (sample data)',
        referralCode: newReferralCode(),
      },
    });
    // Made with the user by a database trigger.
    const workspace = await tx.workspace.findUniqueOrThrow({
      where: { personalOfId: user.id },
      select: { id: true },
    });
    const customer = await tx.customer.create({
      data: {
        id: `cus_sample_${tag}`,
        workspaceId: workspace.id,
        email: SAMPLE_USER_EMAIL,
        lastEventAt: new Date(now),
        observedAt: new Date(now),
        sample: true,
      },
    });
    await tx.subscription.create({
      data: {
        id: `sub_sample_${tag}`,
        customerId: customer.id,
        workspaceId: workspace.id,
        status: 'active',
        priceId: `price_sample_${tag}`,
        priceLookupKey: 'pro_monthly',
        productId: `prod_sample_${tag}`,
        planKey: 'pro',
        interval: 'month',
        currentPeriodStart: new Date(now - 10 * day),
        currentPeriodEnd: new Date(now + 20 * day),
        stripeCreated: new Date(now - 40 * day),
        lastEventAt: new Date(now),
        sample: true,
      },
    });
    await tx.invoice.create({
      data: {
        id: `in_sample_${tag}`,
        customerId: customer.id,
        subscriptionId: `sub_sample_${tag}`,
        number: `SAMPLE-${tag.slice(0, 4).toUpperCase()}-0001`,
        status: 'paid',
        billingReason: 'subscription_cycle',
        amountDue: 2900,
        amountPaid: 2900,
        amountRemaining: 0,
        currency: 'usd',
        paidAt: new Date(now - 10 * day),
        stripeCreated: new Date(now - 10 * day),
        lastEventAt: new Date(now),
        sample: true,
      },
    });
    const payment = await tx.payment.create({
      data: {
        workspaceId: workspace.id,
        kind: 'subscription',
        status: 'partially_refunded',
        amount: 2900,
        currency: 'usd',
        description: 'Pro subscription (sample data)',
        invoiceId: `in_sample_${tag}`,
        paymentIntentId: `pi_sample_${tag}`,
        chargeId: `ch_sample_${tag}`,
        amountRefunded: 900,
        completedAt: new Date(now - 10 * day),
        sample: true,
      },
    });
    await tx.refund.create({
      data: {
        id: `re_sample_${tag}`,
        paymentId: payment.id,
        chargeId: `ch_sample_${tag}`,
        amount: 900,
        currency: 'usd',
        status: 'succeeded',
        stripeReason: 'requested_by_customer',
        note: 'Sample refund',
        stripeCreated: new Date(now - 5 * day),
        lastEventAt: new Date(now),
        sample: true,
      },
    });
    await audit({ actor, action: 'sample_data.loaded', targetType: 'user', targetId: user.id }, tx);
  });
}

export async function removeSampleData(actor: CurrentUser | null): Promise<number> {
  const user = await db.user.findUnique({ where: { email: SAMPLE_USER_EMAIL }, select: { id: true } });
  if (!user) return 0;
  // Cascades (user, then their personal workspace) remove the sample customer, subscription, invoice, payment and refund.
  await db.$transaction(async (tx) => {
    await tx.refund.deleteMany({ where: { sample: true } });
    await tx.payment.deleteMany({ where: { sample: true } });
    await tx.user.delete({ where: { id: user.id } });
    await audit(
      {
        actor,
        action: 'sample_data.removed',
        targetType: 'user',
        targetId: user.id,
        reason: actor ? 'removed by staff' : 'live key configured',
      },
      tx,
    );
  });
  return 1;
}
