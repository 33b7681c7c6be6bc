import { describe, expect, it } from 'vitest';
import { accessOf } from '@/lib/billing/entitlements';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import {
  createUser,
  customerOnClock,
  eventsOfCustomer,
  priceId,
  starterRenewingWith,
} from '@/lib/testing/fixtures';
import { catchUp, signedRequest } from '@/lib/testing/webhooks';

const subjects = async (to: string) =>
  (await db.email.findMany({ where: { to }, orderBy: { createdAt: 'asc' } })).map((e) => e.subject);

describe('dunning', () => {
  it('past_due keeps premium through the grace period, emails once per failed attempt, and invoice.paid restores everything', async () => {
    const user = await createUser();
    const { customer, advanceDays } = await starterRenewingWith(user.id, 'pm_card_chargeCustomerFail');
    const s = stripe();
    await catchUp(customer.id);
    expect((await accessOf(user.workspaceId)).keys).toEqual(['premium_reports']);

    await advanceDays(31.1); // the renewal fails
    await catchUp(customer.id);
    const subscription = await db.subscription.findFirstOrThrow({ where: { workspaceId: user.workspaceId } });
    expect(subscription.status).toBe('past_due');
    const during = await accessOf(user.workspaceId);
    expect(during).toMatchObject({ keys: ['premium_reports'], downgraded: false });
    expect(during.graceEndsAt!.getTime() - subscription.pastDueSince!.getTime()).toBe(7 * 86_400_000);
    expect(await subjects(user.email)).toEqual(['Your payment failed — please update your card']);
    // Delivering everything again sends no second email.
    for (const event of await eventsOfCustomer(customer.id))
      await receiveWebhook(signedRequest(JSON.stringify(event)));
    expect(await subjects(user.email)).toHaveLength(1);

    await advanceDays(4); // first retry fails too; still inside the grace period
    await catchUp(customer.id);
    expect((await accessOf(user.workspaceId)).downgraded).toBe(false);
    expect(await subjects(user.email)).toHaveLength(2);

    await advanceDays(4); // past the 7-day grace period
    await catchUp(customer.id);
    expect(await accessOf(user.workspaceId)).toMatchObject({ keys: [], downgraded: true });

    // The customer fixes the card and the invoice is paid: everything comes back.
    const good = await s.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await s.customers.update(customer.id, { invoice_settings: { default_payment_method: good.id } });
    const open = (await s.invoices.list({ customer: customer.id, status: 'open', limit: 1 })).data[0]!;
    await s.invoices.pay(open.id!, { payment_method: good.id });
    await catchUp(customer.id);
    expect(
      (await db.subscription.findFirstOrThrow({ where: { workspaceId: user.workspaceId } })).status,
    ).toBe('active');
    expect(await accessOf(user.workspaceId)).toMatchObject({
      keys: ['premium_reports'],
      downgraded: false,
      graceEndsAt: null,
    });
    expect(await subjects(user.email)).toContain('Payment received — you are all set');
    // Five clock advances and about 60 events through the emulator and the mirror: 5 s on an idle
    // machine, 38 s at load average 20; the default 60 s ran out once at load average 31.
  }, 180_000);

  it('emails once when a trial is about to end', async () => {
    const user = await createUser();
    const { customer, advanceDays } = await customerOnClock(user.id);
    await stripe().subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('pro_monthly') }],
      trial_period_days: 14,
    });
    await advanceDays(12);
    await catchUp(customer.id);
    expect(
      (await db.subscription.findFirstOrThrow({ where: { workspaceId: user.workspaceId } })).status,
    ).toBe('trialing');
    expect(await subjects(user.email)).toEqual(['Your free trial ends soon']);
  });
});
