import { describe, expect, it } from 'vitest';
import { connected, sdkWith, sessionOn, standalone } from './connect-helpers';
import { harnessPerTest, pay, stripeError } from './helpers';

const h = harnessPerTest();

describe('application fees', () => {
  it('takes the fee of a Checkout payment on a connected account for the platform', async () => {
    const account = await connected(h);
    const as = { stripeAccount: account.id };
    const session = await sessionOn(h.stripe, as, { payment_intent_data: { application_fee_amount: 300 } });
    expect((await pay(h, session.id, '4242424242424242')).body.status).toBe('complete');
    const paid = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] }, as);
    const pi = paid.payment_intent;
    if (!pi || typeof pi === 'string') throw new Error('expected an expanded payment intent');
    expect(pi.application_fee_amount).toBe(300);
    const charge = await h.stripe.charges.retrieve(String(pi.latest_charge), {}, as);
    expect(charge.application_fee_amount).toBe(300);
    expect(String(charge.application_fee)).toMatch(/^fee_/);

    const fees = await h.stripe.applicationFees.list();
    expect(fees.data).toHaveLength(1);
    expect(fees.data[0]).toMatchObject({
      id: charge.application_fee,
      object: 'application_fee',
      account: account.id,
      amount: 300,
      amount_refunded: 0,
      charge: charge.id,
      currency: 'usd',
      refunded: false,
    });
    expect(await h.stripe.applicationFees.retrieve(String(charge.application_fee))).toMatchObject({
      amount: 300,
    });
    // The connected account sees its charge, not the platform's fee object.
    const hidden = await stripeError(
      h.stripe.applicationFees.retrieve(String(charge.application_fee), {}, as),
    );
    expect(hidden).toMatchObject({ statusCode: 404 });
    // Its balance shows the fee taken from the net.
    const txn = await h.stripe.balanceTransactions.retrieve(String(charge.balance_transaction), {}, as);
    expect(txn.fee_details.map((d) => [d.type, d.amount])).toEqual([
      ['stripe_fee', 320],
      ['application_fee', 300],
    ]);
    expect(txn.net).toBe(10_000 - 320 - 300);
    await h.flush();
    const created = h.receiver.ofType('application_fee.created');
    expect(created.map((e) => [e.account, e.data.object.amount])).toEqual([[undefined, 300]]);
  });

  it('refunds the fee in proportion with refund_application_fee', async () => {
    const account = await connected(h);
    const as = { stripeAccount: account.id };
    const pi = await h.stripe.paymentIntents.create(
      {
        amount: 10_000,
        currency: 'usd',
        application_fee_amount: 1_000,
        payment_method: 'pm_card_visa',
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        confirm: true,
      },
      as,
    );
    expect(pi.status).toBe('succeeded');
    const chargeId = String(pi.latest_charge);
    const feeId = String((await h.stripe.charges.retrieve(chargeId, {}, as)).application_fee);
    await h.stripe.refunds.create({ charge: chargeId, amount: 2_500, refund_application_fee: true }, as);
    expect(await h.stripe.applicationFees.retrieve(feeId)).toMatchObject({
      amount_refunded: 250,
      refunded: false,
    });
    // Without the flag the platform keeps its fee.
    await h.stripe.refunds.create({ charge: chargeId, amount: 2_500 }, as);
    expect((await h.stripe.applicationFees.retrieve(feeId)).amount_refunded).toBe(250);
    await h.stripe.refunds.create({ charge: chargeId, refund_application_fee: true }, as);
    const fee = await h.stripe.applicationFees.retrieve(feeId);
    expect(fee).toMatchObject({ amount_refunded: 1_000, refunded: true });
    expect(fee.refunds.data.map((r) => r.amount)).toEqual([750, 250]);
    await h.flush();
    expect(h.receiver.ofType('application_fee.refunded').map((e) => e.data.object.amount_refunded)).toEqual([
      250, 1_000,
    ]);
  });

  it('refuses a fee without Connect or above the amount, creating nothing', async () => {
    const own = await stripeError(
      h.stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', application_fee_amount: 10 }),
    );
    expect(own).toMatchObject({ statusCode: 400, param: 'application_fee_amount' });
    const shop = await standalone(h);
    const viaKey = await stripeError(
      sessionOn(sdkWith(h, shop.restricted_key), {}, { payment_intent_data: { application_fee_amount: 10 } }),
    );
    expect(viaKey).toMatchObject({ statusCode: 400, param: 'payment_intent_data[application_fee_amount]' });
    const account = await connected(h);
    const tooBig = await stripeError(
      sessionOn(
        h.stripe,
        { stripeAccount: account.id },
        { payment_intent_data: { application_fee_amount: 10_001 } },
      ),
    );
    expect(tooBig).toMatchObject({ statusCode: 400, param: 'payment_intent_data[application_fee_amount]' });
    expect((await h.stripe.paymentIntents.list()).data).toEqual([]);
    expect((await h.stripe.checkout.sessions.list({}, { stripeAccount: account.id })).data).toEqual([]);
    expect((await h.stripe.applicationFees.list()).data).toEqual([]);
  });
});
