import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import { newId } from '../ids';
import type { Op } from '../op';
import { AFTER_CHARGE } from '../payments/cards';
import { invalidRequest } from '../wire/errors';
import { metadata, obj, parseShape, str } from '../wire/params';
import { fromPath, mergeMetadata, listOfCharges, retrieve } from './common';
import { idOf } from '../values';
import { cardNumberOf } from './payment-methods';

const DAY = 86_400;

/** Stripe's evidence hash, every field empty (the emulator stores only what is sent). */
function emptyEvidence(): Stripe.Dispute.Evidence {
  return Object.fromEntries(
    [
      'access_activity_log',
      'billing_address',
      'cancellation_policy',
      'cancellation_policy_disclosure',
      'cancellation_rebuttal',
      'customer_communication',
      'customer_email_address',
      'customer_name',
      'customer_purchase_ip',
      'customer_signature',
      'duplicate_charge_documentation',
      'duplicate_charge_explanation',
      'duplicate_charge_id',
      'product_description',
      'receipt',
      'refund_policy',
      'refund_policy_disclosure',
      'refund_refusal_explanation',
      'service_date',
      'service_documentation',
      'shipping_address',
      'shipping_carrier',
      'shipping_date',
      'shipping_documentation',
      'shipping_tracking_number',
      'uncategorized_file',
      'uncategorized_text',
    ].map((k) => [k, null]),
  ) as unknown as Stripe.Dispute.Evidence;
}

/** The dispute test card (4000 0000 0000 0259): the charge is disputed as fraudulent, and the funds withdrawn. */
export function disputeCharge(op: Op, charge: Stripe.Charge): Stripe.Dispute {
  const now = op.now();
  const dispute = {
    id: newId('dp'),
    object: 'dispute',
    amount: charge.amount,
    balance_transactions: [],
    charge: charge.id,
    created: now,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: emptyEvidence(),
    evidence_details: {
      due_by: now + 7 * DAY,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
    },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: idOf(charge.payment_intent),
    payment_method_details: {
      card: { brand: 'visa', case_type: 'chargeback', network: 'visa', network_reason_code: '10.4' },
      type: 'card',
    },
    reason: 'fraudulent',
    status: 'needs_response',
  } as unknown as Stripe.Dispute;
  op.store.objects.dispute.set(dispute);
  charge.disputed = true;
  op.store.objects.charge.set(charge);
  op.emit('charge.dispute.created', dispute);
  op.emit('charge.dispute.funds_withdrawn', dispute);
  return dispute;
}

function close(op: Op, dispute: Stripe.Dispute, outcome: 'won' | 'lost'): void {
  const before = structuredClone(dispute);
  dispute.status = outcome;
  op.store.objects.dispute.set(dispute);
  op.emitUpdated('charge.dispute.updated', before, dispute);
  op.emit('charge.dispute.closed', dispute);
  if (outcome === 'won') op.emit('charge.dispute.funds_reinstated', dispute);
}

export function registerDisputes(emu: Emulator): void {
  const table = emu.store.objects.dispute;

  // A successful charge on the dispute card is disputed straight away.
  emu.hooks.paymentSucceeded.push((op, pi) => {
    const charge = op.store.objects.charge.get(idOf(pi.latest_charge) ?? '');
    const pm = op.store.objects.payment_method.get(idOf(pi.payment_method) ?? '');
    if (charge && pm && AFTER_CHARGE[cardNumberOf(op, pm)] === 'dispute') disputeCharge(op, charge);
  });

  emu.api.add({
    method: 'GET',
    path: '/v1/disputes/:id',
    handler: ({ id, input }) => retrieve(table, id, input, 'dispute'),
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/disputes',
    handler: ({ input }) => listOfCharges(table, input, '/v1/disputes'),
  });
  // Evidence: Stripe's test values `winning_evidence` / `losing_evidence` close the dispute as won / lost.
  emu.api.add({
    method: 'POST',
    path: '/v1/disputes/:id',
    handler: ({ op, id, input }) => {
      const dispute = fromPath(table, id, 'dispute');
      const params = parseShape(
        { metadata: metadata(), evidence: obj({ uncategorized_text: str(), product_description: str() }) },
        input,
      );
      if (dispute.status === 'won' || dispute.status === 'lost')
        throw invalidRequest(`This dispute is already closed.`, { code: 'dispute_already_closed' });
      const before = structuredClone(dispute);
      dispute.metadata = mergeMetadata(dispute.metadata, params.metadata);
      if (params.evidence) {
        dispute.evidence = { ...dispute.evidence, ...params.evidence };
        dispute.evidence_details.has_evidence = true;
        dispute.evidence_details.submission_count += 1;
        dispute.status = 'under_review';
      }
      table.set(dispute);
      op.emitUpdated('charge.dispute.updated', before, dispute);
      const text = params.evidence?.uncategorized_text;
      if (text === 'winning_evidence') close(op, dispute, 'won');
      if (text === 'losing_evidence') close(op, dispute, 'lost');
      return dispute;
    },
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/disputes/:id/close',
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      const dispute = fromPath(table, id, 'dispute');
      if (dispute.status === 'won' || dispute.status === 'lost')
        throw invalidRequest(`This dispute is already closed.`, { code: 'dispute_already_closed' });
      close(op, dispute, 'lost');
      return dispute;
    },
  });
}
