import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import { newId, randomString } from '../ids';
import type { Op } from '../op';
import { attemptPayment, cancelPaymentIntent, type AttemptOptions } from '../payments/engine';
import type { With } from '../types';
import { ApiError, invalidRequest, paramError, unexpectedState } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import {
  bool,
  inRange,
  int,
  list,
  metadata,
  nullableStr,
  obj,
  oneOf,
  pagination,
  parseShape,
  range,
  req,
  str,
} from '../wire/params';
import { enterCustomerTime } from '../billing/time';
import { fromParam, fromPath, mergeMetadata } from './common';
import { formatAmount, idOf } from '../values';
import { resolvePaymentMethod } from './payment-methods';
import { checkApplicationFee, connectApplication } from '../connect/fees';

/** Stripe's minimum charge amounts, in the smallest currency unit (default 50). */
const MINIMUM: Record<string, number> = {
  gbp: 30,
  jpy: 50,
  hkd: 400,
  mxn: 1000,
  dkk: 250,
  nok: 300,
  sek: 300,
  czk: 1500,
};

export function checkAmount(amount: number, currency: string, param = 'amount'): void {
  const minimum = MINIMUM[currency] ?? 50;
  if (amount < minimum) {
    throw invalidRequest(`Amount must be at least ${formatAmount(minimum, currency)} ${currency}`, {
      param,
      code: 'amount_too_small',
    });
  }
  if (amount > 99_999_999) {
    throw invalidRequest(`Amount must be no more than ${formatAmount(99_999_999, currency)}`, {
      param,
      code: 'amount_too_large',
    });
  }
}

export interface PaymentIntentInput {
  amount: number;
  currency: string;
  customer?: string | null;
  description?: string | null;
  metadata?: Record<string, string>;
  receipt_email?: string | null;
  setup_future_usage?: 'on_session' | 'off_session' | null;
  payment_method_types?: string[];
  allowed_payment_method_types?: string[];
  automatic_payment_methods?: { enabled: boolean; allow_redirects?: 'always' | 'never' };
  statement_descriptor?: string | null;
  statement_descriptor_suffix?: string | null;
  /** A direct charge's fee for the platform (checked by the caller). */
  application_fee_amount?: number | null;
}

/** Builds, stores and announces (`payment_intent.created`) a PaymentIntent. */
export function createPaymentIntent(op: Op, input: PaymentIntentInput): Stripe.PaymentIntent {
  const id = newId('pi');
  const automatic =
    input.payment_method_types === undefined && input.allowed_payment_method_types === undefined;
  const pi: With<Stripe.PaymentIntent, 'amount_details' | 'transfer_data'> = {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: input.allowed_payment_method_types ?? null,
    amount: input.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: connectApplication(op),
    application_fee_amount: input.application_fee_amount ?? null,
    automatic_payment_methods:
      automatic && input.automatic_payment_methods?.enabled !== false
        ? { allow_redirects: input.automatic_payment_methods?.allow_redirects ?? 'always', enabled: true }
        : null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: `${id}_secret_${randomString(25)}`,
    confirmation_method: 'automatic',
    created: op.now(),
    currency: input.currency.toLowerCase(),
    customer: input.customer ?? null,
    customer_account: null,
    description: input.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata ?? {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: input.payment_method_types ?? input.allowed_payment_method_types ?? ['card'],
    payment_record: null,
    processing: null,
    receipt_email: input.receipt_email ?? null,
    review: null,
    setup_future_usage: input.setup_future_usage ?? null,
    shipping: null,
    source: null,
    statement_descriptor: input.statement_descriptor ?? null,
    statement_descriptor_suffix: input.statement_descriptor_suffix ?? null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  };
  op.store.objects.payment_intent.set(pi);
  op.emit('payment_intent.created', pi);
  return pi;
}

const common = {
  description: nullableStr(),
  metadata: metadata(),
  receipt_email: nullableStr(),
  setup_future_usage: oneOf(['on_session', 'off_session']),
  statement_descriptor: nullableStr(),
  statement_descriptor_suffix: nullableStr(),
  payment_method: str(),
  application_fee_amount: int({ min: 0 }),
};
const createShape = {
  ...common,
  amount: req(int({ min: 1 })),
  currency: req(str()),
  customer: str(),
  confirm: bool(),
  off_session: bool(),
  return_url: str(),
  error_on_requires_action: bool(),
  payment_method_types: list(str()),
  allowed_payment_method_types: list(oneOf(['card'])),
  automatic_payment_methods: obj({ enabled: req(bool()), allow_redirects: oneOf(['always', 'never']) }),
  capture_method: oneOf(['automatic', 'automatic_async']),
  confirmation_method: oneOf(['automatic']),
};
const confirmShape = {
  payment_method: str(),
  return_url: str(),
  error_on_requires_action: bool(),
  off_session: bool(),
  receipt_email: nullableStr(),
  setup_future_usage: oneOf(['on_session', 'off_session']),
};

/** Confirms through the API: a decline answers 402 with the PaymentIntent attached. */
function confirm(op: Op, pi: Stripe.PaymentIntent, options: AttemptOptions) {
  if (pi.status === 'succeeded') {
    throw unexpectedState(
      'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.',
    );
  }
  if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation') {
    throw unexpectedState(`You cannot confirm this PaymentIntent because it has a status of ${pi.status}.`);
  }
  const redirects =
    pi.automatic_payment_methods?.enabled && pi.automatic_payment_methods.allow_redirects !== 'never';
  if (redirects && !options.returnUrl) {
    // https://docs.stripe.com/payments/payment-intents/automatic-payment-methods: redirect-based
    // methods need somewhere to come back to.
    throw paramError(
      "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
      'return_url',
    );
  }
  const outcome = attemptPayment(op, pi, options);
  if (outcome.status === 'failed') throw new ApiError(402, outcome.error);
  return pi;
}

function setPaymentMethod(op: Op, pi: Stripe.PaymentIntent, ref: string): void {
  const pm = resolvePaymentMethod(op, ref, 'payment_method');
  const owner = idOf(pm.customer);
  if (owner && owner !== idOf(pi.customer)) {
    throw invalidRequest(
      `The provided PaymentMethod belongs to a Customer (${owner}) but this PaymentIntent is not for that Customer. Pass customer=${owner} instead.`,
      { param: 'payment_method' },
    );
  }
  pi.payment_method = pm.id;
  pi.status = 'requires_confirmation';
}

export function registerPaymentIntents(emu: Emulator): void {
  const table = emu.store.objects.payment_intent;

  emu.api.add({
    method: 'POST',
    path: '/v1/payment_intents',
    handler: ({ op, input }) => {
      const params = parseShape(createShape, input);
      const currency = params.currency.toLowerCase();
      checkAmount(params.amount, currency);
      if (params.off_session !== undefined && !params.confirm) {
        throw paramError('You can only pass `off_session` when `confirm` is true.', 'off_session');
      }
      if (params.customer) fromParam(op.store.objects.customer, params.customer, 'customer', 'customer');
      enterCustomerTime(op, params.customer);
      const pi = createPaymentIntent(op, {
        ...params,
        currency,
        application_fee_amount: checkApplicationFee(
          op,
          params.application_fee_amount,
          params.amount,
          currency,
          'application_fee_amount',
        ),
        metadata: mergeMetadata({}, params.metadata),
        payment_method_types: params.payment_method_types,
      });
      if (params.payment_method) setPaymentMethod(op, pi, params.payment_method);
      table.set(pi);
      if (!params.confirm) return pi;
      return confirm(op, pi, {
        offSession: params.off_session ?? false,
        returnUrl: params.return_url ?? null,
        errorOnRequiresAction: params.error_on_requires_action ?? false,
      });
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/payment_intents/:id',
    handler: ({ op, id, input }) => {
      parseShape({ client_secret: str() }, input);
      return fromPath(op.store.objects.payment_intent, id, 'payment_intent');
    },
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/payment_intents/:id',
    handler: ({ op, id, input }) => {
      const pi = fromPath(table, id, 'payment_intent');
      const params = parseShape(
        { ...common, amount: int({ min: 1 }), currency: str(), customer: str() },
        input,
      );
      const financial =
        params.amount !== undefined ||
        params.currency !== undefined ||
        params.payment_method !== undefined ||
        params.application_fee_amount !== undefined;
      if (
        financial &&
        !['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(pi.status)
      ) {
        throw unexpectedState(
          `You cannot update this PaymentIntent because it has a status of ${pi.status}.`,
        );
      }
      if (params.customer) fromParam(op.store.objects.customer, params.customer, 'customer', 'customer');
      if (params.currency !== undefined) pi.currency = params.currency.toLowerCase();
      if (params.amount !== undefined) {
        checkAmount(params.amount, pi.currency);
        pi.amount = params.amount;
      }
      if (params.customer !== undefined) pi.customer = params.customer;
      if (params.application_fee_amount !== undefined) {
        pi.application_fee_amount = checkApplicationFee(
          op,
          params.application_fee_amount,
          pi.amount,
          pi.currency,
          'application_fee_amount',
        );
      }
      if (params.description !== undefined) pi.description = params.description;
      if (params.receipt_email !== undefined) pi.receipt_email = params.receipt_email;
      if (params.setup_future_usage !== undefined) pi.setup_future_usage = params.setup_future_usage;
      if (params.statement_descriptor !== undefined) pi.statement_descriptor = params.statement_descriptor;
      if (params.statement_descriptor_suffix !== undefined)
        pi.statement_descriptor_suffix = params.statement_descriptor_suffix;
      pi.metadata = mergeMetadata(pi.metadata, params.metadata);
      if (params.payment_method) setPaymentMethod(op, pi, params.payment_method);
      table.set(pi);
      return pi;
    },
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/payment_intents/:id/confirm',
    handler: ({ op, id, input }) => {
      const pi = fromPath(table, id, 'payment_intent');
      const params = parseShape(confirmShape, input);
      enterCustomerTime(op, pi.customer);
      if (params.receipt_email !== undefined) pi.receipt_email = params.receipt_email;
      if (params.setup_future_usage !== undefined) pi.setup_future_usage = params.setup_future_usage;
      if (params.payment_method) setPaymentMethod(op, pi, params.payment_method);
      return confirm(op, pi, {
        offSession: params.off_session ?? false,
        returnUrl: params.return_url ?? null,
        errorOnRequiresAction: params.error_on_requires_action ?? false,
      });
    },
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/payment_intents/:id/cancel',
    handler: ({ op, id, input }) => {
      const pi = fromPath(table, id, 'payment_intent');
      const params = parseShape(
        { cancellation_reason: oneOf(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned']) },
        input,
      );
      cancelPaymentIntent(op, pi, params.cancellation_reason ?? null);
      return pi;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/payment_intents',
    handler: ({ input }) => {
      const params = parseShape({ ...pagination, customer: str(), created: range() }, input);
      const rows = table
        .values()
        .filter(
          (pi) =>
            (params.customer === undefined || idOf(pi.customer) === params.customer) &&
            inRange(pi.created, params.created),
        );
      return paginate(newestFirst(rows), params, '/v1/payment_intents');
    },
  });
}
