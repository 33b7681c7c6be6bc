import { collectApplicationFee } from '../connect/fees';
import { createBalanceTransaction } from './balance';
import type Stripe from 'stripe';
import { newId } from '../ids';
import type { Op } from '../op';
import type { With } from '../types';
import { idOf } from '../values';
import { outcome } from './cards';
import type { Decline } from './test-cards';

export type { Decline } from './test-cards';

function cardDetails(
  pm: Stripe.PaymentMethod,
  amount: number,
  succeeded: boolean,
): Stripe.Charge.PaymentMethodDetails.Card {
  const card = pm.card;
  return {
    amount_authorized: succeeded ? amount : null,
    authorization_code: succeeded ? String(100000 + Math.floor(Math.random() * 899999)) : null,
    brand: card?.brand ?? null,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
    country: card?.country ?? null,
    electronic_commerce_indicator: null,
    exp_month: card?.exp_month ?? 12,
    exp_year: card?.exp_year ?? 2030,
    extended_authorization: { status: 'disabled' },
    fingerprint: card?.fingerprint ?? null,
    funding: card?.funding ?? null,
    incremental_authorization: { status: 'unavailable' },
    installments: null,
    last4: card?.last4 ?? null,
    mandate: null,
    multicapture: { status: 'unavailable' },
    network: card?.brand ?? null,
    network_token: { used: false },
    network_transaction_id: succeeded ? newId('ntx').slice(4, 19) : null,
    overcapture: { maximum_amount_capturable: amount, status: 'unavailable' },
    regulated_status: 'unregulated',
    three_d_secure: null,
    transaction_link_id: null,
    wallet: null,
  };
}

/** The charge a confirmation attempt creates, succeeded or failed (declines leave one too). */
export function createCharge(
  op: Op,
  pi: Stripe.PaymentIntent,
  pm: Stripe.PaymentMethod,
  decline: Decline | null,
  risk: 'normal' | 'elevated' | 'highest' = 'normal',
): Stripe.Charge {
  const succeeded = decline === null;
  const id = newId('ch');
  const charge: With<Stripe.Charge, 'refunds'> = {
    id,
    object: 'charge',
    amount: pi.amount,
    amount_captured: succeeded ? pi.amount : 0,
    amount_refunded: 0,
    application: pi.application,
    application_fee: succeeded ? collectApplicationFee(op, pi, id) : null,
    application_fee_amount: pi.application_fee_amount,
    balance_transaction: succeeded
      ? createBalanceTransaction(op, {
          type: 'charge',
          amount: pi.amount,
          currency: pi.currency,
          source: id,
          description: pi.description,
          applicationFee: pi.application_fee_amount
            ? { amount: pi.application_fee_amount, application: idOf(pi.application) }
            : undefined,
        }).id
      : null,
    billing_details: structuredClone(pm.billing_details),
    calculated_statement_descriptor: 'STRIPE EMULATOR',
    captured: succeeded,
    created: op.now(),
    currency: pi.currency,
    customer: idOf(pi.customer),
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: outcome(decline, risk),
    paid: succeeded,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: { card: cardDetails(pm, pi.amount, succeeded), type: 'card' },
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: succeeded ? `${op.emu.baseUrl}/receipts/${id}` : null,
    refunded: false,
    refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/${id}/refunds` },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: succeeded ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
  op.store.objects.charge.set(charge);
  op.emit(succeeded ? 'charge.succeeded' : 'charge.failed', charge);
  return charge;
}
