import type Stripe from 'stripe';
import { newId } from '../ids';
import type { Op } from '../op';
import { createBalanceTransaction } from '../payments/balance';
import { invalidRequest } from '../wire/errors';
import { formatAmount } from '../values';
import { applicationOf } from './account-object';

/** The platform an account is connected to (and still authorized by), if any. */
export function platformOf(op: Op): string | null {
  const meta = op.store.registry.account_meta.get(op.store.account);
  return meta?.platform && !meta.deauthorized ? meta.platform : null;
}

/** The Connect application behind objects on a connected account (`application` fields). */
export function connectApplication(op: Op): string | null {
  const platform = platformOf(op);
  return platform ? applicationOf(platform) : null;
}

/**
 * `application_fee_amount` is for direct charges, which a platform makes through `Stripe-Account`
 * (https://docs.stripe.com/connect/direct-charges); it cannot exceed the amount charged.
 */
export function checkApplicationFee(
  op: Op,
  fee: number | undefined | null,
  amount: number | null,
  currency: string,
  param: string,
): number | null {
  if (fee === undefined || fee === null) return null;
  if (!op.platform) {
    throw invalidRequest(
      'Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).',
      { param },
    );
  }
  if (amount !== null && fee > amount) {
    throw invalidRequest(
      `The application fee amount (${formatAmount(fee, currency)}) cannot be greater than the amount (${formatAmount(amount, currency)}).`,
      { param },
    );
  }
  return fee;
}

/**
 * A successful direct charge with an application fee: the fee moves to the platform as an
 * `application_fee` object (with its balance transaction and `application_fee.created`, all on
 * the platform). Returns the fee's id for `charge.application_fee`.
 */
export function collectApplicationFee(op: Op, pi: Stripe.PaymentIntent, chargeId: string): string | null {
  const amount = pi.application_fee_amount ?? 0;
  const platform = platformOf(op);
  if (amount <= 0 || !platform) return null;
  const account = op.store.account;
  return op.store.within(platform, () => {
    const id = newId('fee');
    const fee: Stripe.ApplicationFee = {
      id,
      object: 'application_fee',
      account,
      amount,
      amount_refunded: 0,
      application: applicationOf(platform),
      balance_transaction: createBalanceTransaction(op, {
        type: 'application_fee',
        amount,
        currency: pi.currency,
        source: id,
        description: null,
      }).id,
      charge: chargeId,
      created: op.now(),
      currency: pi.currency,
      fee_source: { charge: chargeId, type: 'charge' },
      livemode: false,
      originating_transaction: null,
      refunded: false,
      refunds: { object: 'list', data: [], has_more: false, url: `/v1/application_fees/${id}/refunds` },
    };
    op.store.objects.application_fee.set(fee);
    op.emit('application_fee.created', fee);
    return id;
  });
}

/**
 * `refund_application_fee`: the platform gives back the fee in proportion to the refund (all of
 * what is left once the charge is fully refunded), on the platform, with `application_fee.refunded`.
 */
export function refundApplicationFee(op: Op, charge: Stripe.Charge, refunded: number): void {
  const feeId =
    typeof charge.application_fee === 'string' ? charge.application_fee : charge.application_fee?.id;
  const platform = platformOf(op);
  if (!feeId || !platform) return;
  op.store.within(platform, () => {
    const fee = op.store.objects.application_fee.get(feeId);
    if (!fee) return;
    const left = fee.amount - fee.amount_refunded;
    const share = charge.refunded
      ? left
      : Math.min(left, Math.round((fee.amount * refunded) / charge.amount));
    if (share <= 0) return;
    const id = newId('fr');
    const feeRefund: Stripe.FeeRefund = {
      id,
      object: 'fee_refund',
      amount: share,
      balance_transaction: createBalanceTransaction(op, {
        type: 'application_fee_refund',
        amount: -share,
        currency: fee.currency,
        source: id,
        description: null,
      }).id,
      created: op.now(),
      currency: fee.currency,
      fee: fee.id,
      metadata: {},
    };
    fee.refunds.data.unshift(feeRefund);
    fee.amount_refunded += share;
    fee.refunded = fee.amount_refunded === fee.amount;
    op.store.objects.application_fee.set(fee);
    op.emit('application_fee.refunded', fee);
  });
}
