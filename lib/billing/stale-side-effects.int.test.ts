import { describe, expect, it } from 'vitest';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { createUser, eventsOfCustomer, starterRenewingWith } from '@/lib/testing/fixtures';
import { deliver, signedRequest } from '@/lib/testing/webhooks';

describe('side effects only for current state', () => {
  it('sends no "payment failed" email for a late invoice.payment_failed about an invoice already paid', async () => {
    const user = await createUser();
    const { customer, advanceDays } = await starterRenewingWith(user.id, 'pm_card_chargeCustomerFail');
    const s = stripe();
    await advanceDays(31.1); // the renewal fails
    const renewal = (await s.invoices.list({ customer: customer.id, status: 'open', limit: 1 })).data[0]!;
    const good = await s.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await s.invoices.pay(renewal.id!, { payment_method: good.id });

    const events = await eventsOfCustomer(customer.id);
    const failed = events.filter((e) => e.type === 'invoice.payment_failed');
    expect(failed.length).toBeGreaterThan(0);
    // Everything else first (the invoice ends paid), then the failure arrives late.
    for (const event of events.filter((e) => e.type !== 'invoice.payment_failed'))
      await deliver(signedRequest(JSON.stringify(event)));
    expect((await db.invoice.findUniqueOrThrow({ where: { id: renewal.id! } })).status).toBe('paid');
    for (const event of failed)
      expect((await deliver(signedRequest(JSON.stringify(event)))).status).toBe(200);

    const emails = await db.email.findMany({ where: { to: user.email } });
    expect(emails.map((e) => e.subject)).not.toContain('Your payment failed — please update your card');
    expect((await db.invoice.findUniqueOrThrow({ where: { id: renewal.id! } })).status).toBe('paid');
  });
});
