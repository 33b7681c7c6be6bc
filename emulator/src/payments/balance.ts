import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import { newId } from '../ids';
import type { Op } from '../op';
import { newestFirst, paginate } from '../wire/list';
import { inRange, pagination, parseShape, range, str } from '../wire/params';
import { fromPath } from '../resources/common';

const DAY = 24 * 60 * 60;

/** Stripe's standard US card pricing: 2.9% + 30¢ per successful charge (https://stripe.com/pricing). */
export function cardFee(amount: number): number {
  return Math.round(amount * 0.029) + 30;
}

const REPORTING = {
  charge: 'charge',
  refund: 'refund',
  application_fee: 'platform_earning',
  application_fee_refund: 'platform_earning_refund',
} as const;

/**
 * The balance transaction a charge (fee and net) or a refund (no fee returned) moves money with
 * (https://docs.stripe.com/api/balance_transactions). Funds are `pending` until `available_on`,
 * two days later (the US standard payout schedule).
 */
export function createBalanceTransaction(
  op: Op,
  input: {
    type: 'charge' | 'refund' | 'application_fee' | 'application_fee_refund';
    amount: number;
    currency: string;
    source: string;
    description: string | null;
    /** A direct charge's application fee, taken from the connected account's net. */
    applicationFee?: { amount: number; application: string | null };
  },
): Stripe.BalanceTransaction {
  const stripeFee = input.type === 'charge' ? cardFee(input.amount) : 0;
  const appFee = input.applicationFee?.amount ?? 0;
  const fee = stripeFee + appFee;
  const feeDetails: Stripe.BalanceTransaction.FeeDetail[] = [];
  if (stripeFee) {
    feeDetails.push({
      amount: stripeFee,
      application: null,
      currency: input.currency,
      description: 'Stripe processing fees',
      type: 'stripe_fee',
    });
  }
  if (appFee) {
    feeDetails.push({
      amount: appFee,
      application: input.applicationFee?.application ?? null,
      currency: input.currency,
      description: 'Application fee',
      type: 'application_fee',
    });
  }
  const txn: Stripe.BalanceTransaction = {
    id: newId('txn'),
    object: 'balance_transaction',
    amount: input.amount,
    available_on: op.now() + 2 * DAY,
    balance_type: 'payments',
    created: op.now(),
    currency: input.currency,
    description: input.description,
    exchange_rate: null,
    fee,
    fee_details: feeDetails,
    net: input.amount - fee,
    reporting_category: REPORTING[input.type],
    source: input.source,
    status: 'pending',
    type: input.type,
  };
  return op.store.objects.balance_transaction.set(txn);
}

export function registerBalanceTransactions(emu: Emulator): void {
  const table = emu.store.objects.balance_transaction;
  const url = '/v1/balance_transactions';
  emu.api.add({
    method: 'GET',
    path: `${url}/:id`,
    handler: ({ id, input }) => {
      parseShape({}, input);
      return fromPath(table, id, 'balance transaction');
    },
  });
  emu.api.add({
    method: 'GET',
    path: url,
    handler: ({ input }) => {
      const params = parseShape(
        { ...pagination, type: str(), source: str(), currency: str(), created: range(), payout: str() },
        input,
      );
      const rows = table
        .values()
        .filter(
          (t) =>
            (params.type === undefined || t.type === params.type) &&
            (params.source === undefined || t.source === params.source) &&
            (params.currency === undefined || t.currency === params.currency) &&
            params.payout === undefined &&
            inRange(t.created, params.created),
        );
      return paginate(newestFirst(rows), params, url);
    },
  });
}
