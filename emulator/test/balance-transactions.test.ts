// Contract: https://docs.stripe.com/api/balance_transactions with Stripe's US card pricing
// (2.9% + 30¢, https://stripe.com/pricing): a charge's fee and net, a refund's negative amount.
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { harnessPerTest, stripeError } from './helpers';

const h = harnessPerTest();

async function charge(pm: string) {
  return h.stripe.paymentIntents.create({
    amount: 2000,
    currency: 'usd',
    payment_method: pm,
    confirm: true,
    allowed_payment_method_types: ['card'],
    description: 'Order 42',
  });
}

describe('balance transactions', () => {
  it("records a charge's fee and net, and a refund's negative amount", async () => {
    const pi = await charge('pm_card_visa');
    const ch = await h.stripe.charges.retrieve(String(pi.latest_charge), { expand: ['balance_transaction'] });
    const txn = ch.balance_transaction as Stripe.BalanceTransaction;
    expect(txn).toMatchObject({
      object: 'balance_transaction',
      type: 'charge',
      reporting_category: 'charge',
      amount: 2000,
      fee: 88, // 2.9% of $20.00 = 58¢, + 30¢
      net: 1912,
      currency: 'usd',
      source: ch.id,
      status: 'pending',
      description: 'Order 42',
    });
    expect(txn.fee_details).toEqual([
      {
        amount: 88,
        application: null,
        currency: 'usd',
        description: 'Stripe processing fees',
        type: 'stripe_fee',
      },
    ]);
    expect(txn.available_on).toBe(txn.created + 2 * 86_400);
    expect(await h.stripe.balanceTransactions.retrieve(txn.id)).toEqual(txn);

    const refund = await h.stripe.refunds.create({ charge: ch.id, amount: 500 });
    const back = await h.stripe.balanceTransactions.retrieve(String(refund.balance_transaction));
    expect(back).toMatchObject({ type: 'refund', amount: -500, fee: 0, net: -500, source: refund.id });

    const charges = await h.stripe.balanceTransactions.list({ type: 'charge' });
    expect(charges.data.map((t) => t.id)).toEqual([txn.id]);
    const bySource = await h.stripe.balanceTransactions.list({ source: refund.id });
    expect(bySource.data.map((t) => t.id)).toEqual([back.id]);
  });

  it('leaves a declined charge without one', async () => {
    const error = await stripeError(charge('pm_card_chargeDeclined'));
    const declined = await h.stripe.charges.retrieve(
      String(error.raw && (error.raw as { charge?: string }).charge),
    );
    expect(declined.balance_transaction).toBeNull();
    expect((await stripeError(h.stripe.balanceTransactions.retrieve('txn_nope'))).statusCode).toBe(404);
  });
});
