import { describe, expect, it } from 'vitest';
import { accessOf } from '@/lib/billing/entitlements';
import { stripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { invoicesOf } from '@/lib/billing/subscription-queries';
import { createUser, customerOnClock, priceId, starterRenewingWith } from '@/lib/testing/fixtures';
import { catchUp } from '@/lib/testing/webhooks';

const subjects = async (to: string) =>
  (await db.email.findMany({ where: { to }, orderBy: { createdAt: 'asc' } })).map((e) => e.subject);

/** The customer on the hosted invoice page: pays with the card, then passes the 3-D Secure challenge. */
async function authenticateOnHostedPage(hostedInvoiceUrl: string, cardNumber: string) {
  const form = async (url: string, fields: Record<string, string>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    return response.headers.get('location');
  };
  const challenge = await form(`${hostedInvoiceUrl}/pay`, {
    cardNumber,
    cardExpiry: '12 / 40',
    cardCvc: '123',
    billingName: 'Sam Customer',
  });
  expect(challenge).toMatch(/\/3ds\/pi_/);
  const origin = new URL(hostedInvoiceUrl).origin;
  await form(new URL(challenge!, origin).toString(), { outcome: 'complete' });
}

// https://docs.stripe.com/billing/subscriptions/overview#requires-action and
// https://docs.stripe.com/testing#regulatory-cards (4000 0027 6000 3184 authenticates every payment).
describe('SCA recovery of a renewal', () => {
  it('asks the customer to confirm (email + banner data), keeps premium through the grace period, and recovers once they authenticate', async () => {
    const user = await createUser();
    const { customer, advanceDays } = await starterRenewingWith(user.id, 'pm_card_authenticationRequired');
    await catchUp(customer.id);

    await advanceDays(31.1); // the renewal needs authentication
    await catchUp(customer.id);
    const subscription = await db.subscription.findFirstOrThrow({ where: { workspaceId: user.workspaceId } });
    expect(subscription.status).toBe('past_due');
    expect(await accessOf(user.workspaceId)).toMatchObject({ keys: ['premium_reports'], downgraded: false });
    // One "confirm your payment" email, not a "payment failed, update your card" one.
    expect(await subjects(user.email)).toEqual(['Please confirm your payment with your bank']);
    const waiting = (await invoicesOf(user.workspaceId)).find((i) => i.status === 'open');
    expect(waiting).toMatchObject({ paymentActionRequired: true });
    expect(waiting?.hostedInvoiceUrl).toBeTruthy();

    await authenticateOnHostedPage(waiting!.hostedInvoiceUrl!, '4000002760003184');
    await catchUp(customer.id);
    expect(
      (await db.subscription.findFirstOrThrow({ where: { workspaceId: user.workspaceId } })).status,
    ).toBe('active');
    expect(await accessOf(user.workspaceId)).toMatchObject({
      keys: ['premium_reports'],
      downgraded: false,
      graceEndsAt: null,
    });
    const paid = (await invoicesOf(user.workspaceId)).find((i) => i.id === waiting!.id);
    expect(paid?.status).toBe('paid');
    expect(await subjects(user.email)).toContain('Payment received — you are all set');
  });

  it('renews off-session without asking again on a 3155 card saved with authentication', async () => {
    const user = await createUser();
    const { customer, advanceDays } = await customerOnClock(user.id, 'pm_card_authenticationRequiredOnSetup');
    const s = stripe();
    await s.subscriptions.create({
      customer: customer.id,
      items: [{ price: await priceId('starter_monthly') }],
      // Charged by the server for a customer who is not there: off-session (https://docs.stripe.com/payments/save-and-reuse).
      off_session: true,
    });
    await catchUp(customer.id);
    await advanceDays(31.1);
    await catchUp(customer.id);
    expect(
      (await db.subscription.findFirstOrThrow({ where: { workspaceId: user.workspaceId } })).status,
    ).toBe('active');
    const invoices = await invoicesOf(user.workspaceId);
    expect(invoices.map((i) => i.status)).toEqual(['paid', 'paid']);
    expect(await subjects(user.email)).toEqual([]);
  });
});
