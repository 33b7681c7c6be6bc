import { createBalanceTransaction } from '../payments/balance';
import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import { newId, randomString } from '../ids';
import type { Full } from '../types';
import { invalidRequest } from '../wire/errors';
import { bool, int, metadata, oneOf, parseShape, str } from '../wire/params';
import { refundApplicationFee } from '../connect/fees';
import { enterCustomerTime } from '../billing/time';
import type { Op } from '../op';
import { AFTER_CHARGE } from '../payments/cards';
import { syncChargeRefunds } from './charges';
import { cardNumberOf } from './payment-methods';
import { fromParam, fromPath, mergeMetadata, listOfCharges, retrieve } from './common';
import { formatAmount, idOf } from '../values';

type Omitted =
  | 'description'
  | 'failure_balance_transaction'
  | 'failure_reason'
  | 'instructions_email'
  | 'next_action'
  | 'pending_reason'
  | 'presentment_details';

const createShape = {
  charge: str(),
  payment_intent: str(),
  amount: int({ min: 1 }),
  reason: oneOf(['duplicate', 'fraudulent', 'requested_by_customer']),
  metadata: metadata(),
  instructions_email: str(),
  refund_application_fee: bool(),
};

const REFUND_FAILS_AFTER_MS = 1_100;

/** A refund that fails after succeeding: the money goes back to the charge, as Stripe reports it. */
function failRefund(op: Op, refundId: string): void {
  const refund = op.store.objects.refund.get(refundId);
  const charge = refund && op.store.objects.charge.get(idOf(refund.charge) ?? '');
  if (!refund || !charge || refund.status !== 'succeeded') return;
  const before = structuredClone(refund);
  refund.status = 'failed';
  (refund as { failure_reason?: string }).failure_reason = 'expired_or_canceled_card';
  op.store.objects.refund.set(refund);
  charge.amount_refunded -= refund.amount;
  charge.refunded = false;
  syncChargeRefunds(op, charge);
  op.store.objects.charge.set(charge);
  op.emitUpdated('charge.refund.updated', before, refund);
  op.emit('refund.failed', refund);
}

export function registerRefunds(emu: Emulator): void {
  const table = emu.store.objects.refund;
  const charges = emu.store.objects.charge;

  emu.api.add({
    method: 'POST',
    path: '/v1/refunds',
    handler: ({ op, input }) => {
      const params = parseShape(createShape, input);
      let charge: Stripe.Charge;
      if (params.charge) {
        charge = fromParam(charges, params.charge, 'charge', 'charge');
        if (params.payment_intent && idOf(charge.payment_intent) !== params.payment_intent) {
          throw invalidRequest(
            `Charge ${charge.id} does not belong to PaymentIntent ${params.payment_intent}.`,
            { param: 'charge' },
          );
        }
      } else if (params.payment_intent) {
        const pi = fromParam(
          op.store.objects.payment_intent,
          params.payment_intent,
          'payment_intent',
          'payment_intent',
        );
        const latest = pi.status === 'succeeded' ? charges.get(idOf(pi.latest_charge) ?? '') : undefined;
        if (!latest) {
          throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, {
            param: 'payment_intent',
          });
        }
        charge = latest;
      } else {
        throw invalidRequest(
          'One of the following params should be provided for this request: payment_intent or charge.',
          {
            validation: true,
          },
        );
      }
      enterCustomerTime(op, charge.customer);
      if (params.refund_application_fee && charge.application_fee && !op.platform) {
        throw invalidRequest(
          'refund_application_fee can only be used by the application that created the charge.',
          {
            param: 'refund_application_fee',
          },
        );
      }
      if (charge.status !== 'succeeded') {
        throw invalidRequest(`Charge ${charge.id} has not succeeded, so it cannot be refunded.`, {
          param: 'charge',
        });
      }
      if (charge.refunded) {
        throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
          code: 'charge_already_refunded',
        });
      }
      const remaining = charge.amount - charge.amount_refunded;
      const amount = params.amount ?? remaining;
      if (amount > remaining) {
        throw invalidRequest(
          `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
          { param: 'amount', code: 'amount_too_large' },
        );
      }
      const refundId = newId('re');
      const refund: Full<Stripe.Refund, Omitted> = {
        id: refundId,
        object: 'refund',
        amount,
        balance_transaction: createBalanceTransaction(op, {
          type: 'refund',
          amount: -amount,
          currency: charge.currency,
          source: refundId,
          description: `REFUND FOR CHARGE (${charge.description ?? charge.id})`,
        }).id,
        charge: charge.id,
        created: op.now(),
        currency: charge.currency,
        customer: idOf(charge.customer),
        customer_account: null,
        destination_details: {
          card: {
            reference: randomString(10),
            reference_status: 'pending',
            reference_type: 'acquirer_reference_number',
            type: 'refund',
          },
          type: 'card',
        },
        metadata: mergeMetadata({}, params.metadata),
        payment_intent: idOf(charge.payment_intent),
        payment_method: charge.payment_method,
        reason: params.reason ?? null,
        receipt_number: null,
        source_transfer_reversal: null,
        status: 'succeeded',
        transfer_reversal: null,
      };
      table.set(refund);
      charge.amount_refunded += amount;
      charge.refunded = charge.amount_refunded === charge.amount;
      syncChargeRefunds(op, charge);
      charges.set(charge);
      if (params.refund_application_fee) refundApplicationFee(op, charge, amount);
      op.emit('charge.refunded', charge);
      op.emit('refund.created', refund);
      const pm = op.store.objects.payment_method.get(idOf(charge.payment_method) ?? '');
      // The refund-failure card: the refund fails a moment later (in a later second, as at Stripe).
      if (pm && AFTER_CHARGE[cardNumberOf(op, pm)] === 'refund_fails') {
        const timer = setTimeout(
          () => emu.run((later) => failRefund(later, refund.id)),
          REFUND_FAILS_AFTER_MS,
        );
        timer.unref();
      }
      return refund;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/refunds/:id',
    handler: ({ id, input }) => retrieve(table, id, input, 'refund'),
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/refunds/:id',
    handler: ({ op, id, input }) => {
      const refund = fromPath(table, id, 'refund');
      const params = parseShape({ metadata: metadata() }, input);
      const before = structuredClone(refund);
      refund.metadata = mergeMetadata(refund.metadata, params.metadata);
      table.set(refund);
      op.emitUpdated('refund.updated', before, refund);
      const charge = charges.get(idOf(refund.charge) ?? '');
      if (charge) {
        syncChargeRefunds(op, charge);
        charges.set(charge);
      }
      return refund;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/refunds',
    handler: ({ input }) => listOfCharges(table, input, '/v1/refunds'),
  });
}
