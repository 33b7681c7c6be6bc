import type Stripe from 'stripe';
import type { Op } from '../op';
import { idOf } from '../values';
import { attachPaymentMethod, cardNumberOf } from '../resources/payment-methods';
import { invalidRequest, unexpectedState, type StripeErrorBody } from '../wire/errors';
import { cardFor } from './cards';
import { createCharge, type Decline } from './charges';
import { afterChallenge, challengeAction } from './challenge';
import { enterCustomerTime } from '../billing/time';

/** What one confirmation attempt led to; declines are outcomes here, not exceptions. */
export type AttemptOutcome =
  | { status: 'succeeded' }
  | { status: 'requires_action'; url: string }
  | { status: 'failed'; error: StripeErrorBody };

const AUTH_FAILED =
  'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.';

function save(op: Op, pi: Stripe.PaymentIntent): void {
  op.store.objects.payment_intent.set(pi);
}

function paymentMethodOf(op: Op, pi: Stripe.PaymentIntent): Stripe.PaymentMethod {
  const pm = op.store.objects.payment_method.get(idOf(pi.payment_method) ?? '');
  if (!pm) {
    throw unexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
    );
  }
  return pm;
}

function succeed(
  op: Op,
  pi: Stripe.PaymentIntent,
  pm: Stripe.PaymentMethod,
  risk: 'normal' | 'elevated' | 'highest' = 'normal',
): AttemptOutcome {
  const customer = idOf(pi.customer);
  if (pi.setup_future_usage && customer && !pm.customer) attachPaymentMethod(op, pm, customer);
  const charge = createCharge(op, pi, pm, null, risk);
  pi.status = 'succeeded';
  pi.amount_received = pi.amount;
  pi.latest_charge = charge.id;
  pi.next_action = null;
  pi.last_payment_error = null;
  save(op, pi);
  op.emit('payment_intent.succeeded', pi);
  for (const hook of op.emu.hooks.paymentSucceeded) hook(op, pi);
  return { status: 'succeeded' };
}

function fail(op: Op, pi: Stripe.PaymentIntent, pm: Stripe.PaymentMethod, decline: Decline): AttemptOutcome {
  const charge = createCharge(op, pi, pm, decline);
  const doc_url = `https://docs.stripe.com/error-codes/${decline.code.replaceAll('_', '-')}`;
  pi.last_payment_error = {
    charge: charge.id,
    code: decline.code,
    decline_code: decline.decline_code,
    doc_url,
    message: decline.message,
    payment_method: structuredClone(pm),
    type: 'card_error',
    ...(decline.advice_code ? { advice_code: decline.advice_code } : {}),
    ...(decline.param ? { param: decline.param } : {}),
  };
  pi.latest_charge = charge.id;
  pi.status = 'requires_payment_method';
  pi.payment_method = null;
  pi.next_action = null;
  save(op, pi);
  op.emit('payment_intent.payment_failed', pi);
  for (const hook of op.emu.hooks.paymentFailed) hook(op, pi);
  return {
    status: 'failed',
    error: {
      type: 'card_error',
      code: decline.code,
      decline_code: decline.decline_code,
      ...(decline.advice_code ? { advice_code: decline.advice_code } : {}),
      ...(decline.param ? { param: decline.param } : {}),
      message: decline.message,
      doc_url,
      charge: charge.id,
      payment_intent: structuredClone(pi),
      payment_method: structuredClone(pm),
    },
  };
}

/** The emulator's 3-D Secure challenge page for a PaymentIntent. */
export function challengeUrl(op: Op, pi: Stripe.PaymentIntent): string {
  return `${op.emu.baseUrl}/3ds/${pi.id}`;
}

const AUTHENTICATION_REQUIRED: Decline = {
  code: 'authentication_required',
  decline_code: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
  advice_code: null,
};

export interface AttemptOptions {
  offSession: boolean;
  returnUrl: string | null;
  /** `error_on_requires_action`: fail instead of asking for authentication. */
  errorOnRequiresAction?: boolean;
  /**
   * Invoices: an off-session payment that needs authentication waits in `requires_action` (the
   * customer authenticates on the hosted invoice page) instead of failing.
   */
  awaitActionOffSession?: boolean;
}

/**
 * Attempts the payment with the PaymentIntent's payment method, as its test card dictates
 * (https://docs.stripe.com/testing#regulatory-cards). Events follow Stripe's order: charge.*
 * before payment_intent.*.
 */
export function attemptPayment(op: Op, pi: Stripe.PaymentIntent, options: AttemptOptions): AttemptOutcome {
  const pm = paymentMethodOf(op, pi);
  const behaviour = cardFor(cardNumberOf(op, pm)).behaviour;
  if (behaviour.kind === 'decline') return fail(op, pi, pm, behaviour);
  if (behaviour.kind === 'succeed') return succeed(op, pi, pm, behaviour.risk_level);
  // 3155 authenticates once, when it is set up; off-session payments on the saved card then pass.
  const savedForOffSession = behaviour.when === 'unless_set_up' && idOf(pm.customer) !== null;
  if (options.offSession && savedForOffSession) return succeed(op, pi, pm);
  if (options.errorOnRequiresAction || (options.offSession && !options.awaitActionOffSession)) {
    return fail(op, pi, pm, AUTHENTICATION_REQUIRED);
  }
  const url = challengeUrl(op, pi);
  pi.status = 'requires_action';
  // Without a return_url Stripe.js handles the challenge in place (https://docs.stripe.com/payments/3d-secure).
  pi.next_action = challengeAction(url, options.returnUrl);
  pi.last_payment_error = options.offSession
    ? {
        code: 'authentication_required',
        decline_code: 'authentication_required',
        doc_url: 'https://docs.stripe.com/error-codes/authentication-required',
        message: AUTHENTICATION_REQUIRED.message,
        payment_method: structuredClone(pm),
        type: 'card_error',
      }
    : null;
  save(op, pi);
  op.emit('payment_intent.requires_action', pi);
  return { status: 'requires_action', url };
}

/** The cardholder's answer to the challenge. Returns where the browser goes next (or null). */
export function resolveThreeDSecure(
  op: Op,
  pi: Stripe.PaymentIntent,
  outcome: 'complete' | 'fail',
): string | null {
  if (pi.status !== 'requires_action') {
    throw invalidRequest(
      `This PaymentIntent is not awaiting 3-D Secure authentication (its status is ${pi.status}).`,
      {
        code: 'payment_intent_unexpected_state',
      },
    );
  }
  // The customer's own time (a test clock's), as for every other change to their objects.
  enterCustomerTime(op, pi.customer);
  const returnUrl = pi.next_action?.redirect_to_url?.return_url ?? null;
  const pm = paymentMethodOf(op, pi);
  if (outcome === 'complete') {
    succeed(op, pi, pm);
  } else {
    pi.status = 'requires_payment_method';
    pi.last_payment_error = {
      code: 'payment_intent_authentication_failure',
      doc_url: 'https://docs.stripe.com/error-codes/payment-intent-authentication-failure',
      message: AUTH_FAILED,
      payment_method: structuredClone(pm),
      type: 'invalid_request_error',
    };
    pi.payment_method = null;
    pi.next_action = null;
    save(op, pi);
    op.emit('payment_intent.payment_failed', pi);
    for (const hook of op.emu.hooks.paymentFailed) hook(op, pi);
  }
  return afterChallenge(returnUrl, 'payment_intent', pi, outcome);
}

const CANCELABLE = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];

export function cancelPaymentIntent(
  op: Op,
  pi: Stripe.PaymentIntent,
  reason: Stripe.PaymentIntent.CancellationReason | null,
): void {
  if (!CANCELABLE.includes(pi.status)) {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
    );
  }
  pi.status = 'canceled';
  pi.canceled_at = op.now();
  pi.cancellation_reason = reason;
  pi.next_action = null;
  save(op, pi);
  op.emit('payment_intent.canceled', pi);
}
