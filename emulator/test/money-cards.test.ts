// Contract tests for Stripe's dispute and refund-failure test cards, as Stripe's testing docs
// describe them: 4000 0000 0000 0259 / pm_card_createDispute ("the charge succeeds, only to be
// disputed as fraudulent"; evidence `winning_evidence` closes it won and credits the funds back,
// `losing_evidence` closes it lost), and 4000 0000 0000 5126 / pm_card_refundFail ("a refund
// begins succeeded; some time later it transitions to failed and sends refund.failed").
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { harnessPerTest, objectId, pay, stripeError } from './helpers';

const h = harnessPerTest();

// Stripe's own example dispute and refund carry exactly these top-level fields.
const DISPUTE_FIELDS = [
  'amount',
  'balance_transactions',
  'charge',
  'created',
  'currency',
  'enhanced_eligibility_types',
  'evidence',
  'evidence_details',
  'id',
  'is_charge_refundable',
  'livemode',
  'metadata',
  'object',
  'payment_intent',
  'payment_method_details',
  'reason',
  'status',
];

async function paidIntent(card: string, amount = 2000) {
  const intent = await h.stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    payment_method: card,
    confirm: true,
    allowed_payment_method_types: ['card'],
  });
  expect(intent.status).toBe('succeeded');
  return { intent, chargeId: String(intent.latest_charge) };
}

/** Every delivered event about `id` (the object itself or its charge), in delivery order. */
function deliveredAbout(id: string): Stripe.Event[] {
  return h.receiver.deliveries
    .map((d) => d.event)
    .filter((e) => objectId(e) === id || JSON.stringify(e.data.object).includes(`"${id}"`));
}

describe('the dispute card (4000 0000 0000 0259, pm_card_createDispute)', () => {
  it('succeeds, then is disputed as fraudulent with the funds withdrawn, in Stripe’s shape', async () => {
    const { intent, chargeId } = await paidIntent('pm_card_createDispute', 1500);
    const [dispute, ...others] = (await h.stripe.disputes.list({ payment_intent: intent.id })).data;
    expect(others).toEqual([]);
    expect(Object.keys(dispute!).sort()).toEqual(DISPUTE_FIELDS);
    expect(dispute).toMatchObject({
      object: 'dispute',
      amount: 1500,
      currency: 'usd',
      charge: chargeId,
      payment_intent: intent.id,
      reason: 'fraudulent',
      status: 'needs_response',
      is_charge_refundable: false,
      evidence_details: { has_evidence: false, past_due: false, submission_count: 0 },
      payment_method_details: {
        type: 'card',
        card: { brand: 'visa', case_type: 'chargeback', network: 'visa' },
      },
    });
    expect(dispute!.id).toMatch(/^dp_/);
    expect(dispute!.evidence_details.due_by).toBeGreaterThan(dispute!.created);
    expect(await h.stripe.disputes.retrieve(dispute!.id)).toEqual(dispute);
    expect((await h.stripe.disputes.list({ charge: chargeId })).data.map((d) => d.id)).toEqual([dispute!.id]);
    expect((await h.stripe.charges.retrieve(chargeId)).disputed).toBe(true);

    await h.flush();
    const types = deliveredAbout(chargeId).map((e) => e.type);
    // The charge succeeds first; then the dispute opens and withdraws the funds.
    expect(types.indexOf('charge.succeeded')).toBeGreaterThanOrEqual(0);
    expect(types.slice(types.indexOf('charge.succeeded') + 1)).toEqual(
      expect.arrayContaining(['charge.dispute.created', 'charge.dispute.funds_withdrawn']),
    );
    expect(types.indexOf('charge.dispute.created')).toBeLessThan(
      types.indexOf('charge.dispute.funds_withdrawn'),
    );
    expect(h.receiver.ofType('charge.dispute.created')[0]!.data.object.id).toBe(dispute!.id);
  });

  it('a card number paid on Checkout is disputed the same way', async () => {
    const session = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        { price_data: { currency: 'usd', unit_amount: 700, product_data: { name: 'x' } }, quantity: 1 },
      ],
      success_url: 'https://app.example/ok',
    });
    await pay(h, session.id, '4000000000000259');
    const intent = String((await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent);
    const [dispute] = (await h.stripe.disputes.list({ payment_intent: intent })).data;
    expect(dispute).toMatchObject({ amount: 700, status: 'needs_response', reason: 'fraudulent' });
  });

  it('winning_evidence closes it won and reinstates the funds: updated, closed, funds_reinstated', async () => {
    const { intent } = await paidIntent('pm_card_createDispute');
    const [opened] = (await h.stripe.disputes.list({ payment_intent: intent.id })).data;
    await h.flush();
    const before = h.receiver.deliveries.length;
    const answered = await h.stripe.disputes.update(opened!.id, {
      evidence: { uncategorized_text: 'winning_evidence' },
    });
    expect(answered.id).toBe(opened!.id);
    const won = await h.stripe.disputes.retrieve(opened!.id);
    expect(won).toMatchObject({
      status: 'won',
      evidence: { uncategorized_text: 'winning_evidence' },
      evidence_details: { has_evidence: true, submission_count: 1 },
    });
    await h.flush();
    const after = h.receiver.deliveries.slice(before).map((d) => d.event);
    expect(after.map((e) => e.type)).toEqual([
      'charge.dispute.updated',
      'charge.dispute.updated',
      'charge.dispute.closed',
      'charge.dispute.funds_reinstated',
    ]);
    const closed = after.find((e) => e.type === 'charge.dispute.closed')!.data.object as Stripe.Dispute;
    expect(closed.status).toBe('won');
    // An update names what changed.
    const [submitted] = after;
    expect(submitted!.data.previous_attributes).toMatchObject({ status: 'needs_response' });
  });

  it('losing_evidence closes it lost without reinstating; a closed dispute takes no more evidence', async () => {
    const { intent } = await paidIntent('pm_card_createDispute');
    const [opened] = (await h.stripe.disputes.list({ payment_intent: intent.id })).data;
    await h.flush();
    const before = h.receiver.deliveries.length;
    await h.stripe.disputes.update(opened!.id, { evidence: { uncategorized_text: 'losing_evidence' } });
    expect((await h.stripe.disputes.retrieve(opened!.id)).status).toBe('lost');
    await h.flush();
    const types = h.receiver.deliveries.slice(before).map((d) => d.event.type);
    expect(types).toContain('charge.dispute.closed');
    expect(types).not.toContain('charge.dispute.funds_reinstated');
    const error = await stripeError(
      h.stripe.disputes.update(opened!.id, { evidence: { uncategorized_text: 'winning_evidence' } }),
    );
    expect(error).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
  });

  it('other evidence leaves it under_review; closing it (accepting) makes it lost', async () => {
    const { intent } = await paidIntent('pm_card_createDispute');
    const [opened] = (await h.stripe.disputes.list({ payment_intent: intent.id })).data;
    const reviewed = await h.stripe.disputes.update(opened!.id, {
      evidence: { uncategorized_text: 'The customer used the product.' },
    });
    expect(reviewed.status).toBe('under_review');
    const closed = await h.stripe.disputes.close(opened!.id);
    expect(closed.status).toBe('lost');
    await h.flush();
    expect(h.receiver.types()).not.toContain('charge.dispute.funds_reinstated');
  });

  it('an ordinary card is never disputed', async () => {
    const { intent } = await paidIntent('pm_card_visa');
    expect((await h.stripe.disputes.list({ payment_intent: intent.id })).data).toEqual([]);
    await h.flush();
    expect(h.receiver.types().filter((t) => t.startsWith('charge.dispute.'))).toEqual([]);
  });
});

describe('the refund-failure card (4000 0000 0000 5126, pm_card_refundFail)', () => {
  it('a refund begins succeeded, then fails: refund.failed, and the charge gets its money back', async () => {
    const { chargeId } = await paidIntent('pm_card_refundFail', 2000);
    const refund = await h.stripe.refunds.create({ charge: chargeId, amount: 600 });
    expect(refund.status).toBe('succeeded');
    expect((await h.stripe.charges.retrieve(chargeId)).amount_refunded).toBe(600);

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const failed = await h.stripe.refunds.retrieve(refund.id);
    expect(failed).toMatchObject({
      status: 'failed',
      failure_reason: 'expired_or_canceled_card',
      amount: 600,
    });
    const charge = await h.stripe.charges.retrieve(chargeId);
    expect(charge).toMatchObject({ amount_refunded: 0, refunded: false });

    await h.flush();
    const types = deliveredAbout(refund.id).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['refund.created', 'charge.refund.updated', 'refund.failed']),
    );
    expect(types.indexOf('refund.created')).toBeLessThan(types.indexOf('refund.failed'));
    const event = h.receiver.ofType('refund.failed')[0]!;
    expect(event.data.object).toMatchObject({ id: refund.id, status: 'failed' });
    // The charge.refunded sent at refund time said 600; the failure is a later event.
    const refunded = h.receiver.ofType('charge.refunded')[0]!;
    expect(refunded.data.object.amount_refunded).toBe(600);
    expect(event.created).toBeGreaterThan(refunded.created);
  });

  it('an ordinary card’s refund stays succeeded', async () => {
    const { chargeId } = await paidIntent('pm_card_visa');
    const refund = await h.stripe.refunds.create({ charge: chargeId, amount: 600 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await h.stripe.refunds.retrieve(refund.id)).status).toBe('succeeded');
    await h.flush();
    expect(h.receiver.types()).not.toContain('refund.failed');
  });
});
