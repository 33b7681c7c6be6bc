import type Stripe from 'stripe';
import { newId, randomString } from '../ids';
import type { Op } from '../op';
import { attachPaymentMethod, cardNumberOf } from '../resources/payment-methods';
import { idOf } from '../values';
import { invalidRequest, type StripeErrorBody } from '../wire/errors';
import { cardFor } from './cards';
import { afterChallenge, challengeAction } from './challenge';

/** SetupIntents (https://docs.stripe.com/api/setup_intents): save a card for later, with 3-D Secure. */

export interface SetupInput {
  customer: string | null;
  description: string | null;
  metadata: Record<string, string>;
  usage: 'off_session' | 'on_session';
  payment_method: string | null;
}

export type SetupOutcome =
  | { status: 'succeeded' }
  | { status: 'requires_action'; url: string }
  | { status: 'failed'; error: StripeErrorBody };

function save(op: Op, si: Stripe.SetupIntent): void {
  op.store.objects.setup_intent.set(si);
}

export function createSetupIntent(op: Op, input: SetupInput): Stripe.SetupIntent {
  const id = newId('seti');
  const si: Stripe.SetupIntent = {
    id,
    object: 'setup_intent',
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${randomString(25)}`,
    created: op.now(),
    customer: input.customer,
    description: input.description,
    excluded_payment_method_types: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: input.payment_method,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: input.payment_method ? 'requires_confirmation' : 'requires_payment_method',
    usage: input.usage,
  };
  save(op, si);
  op.emit('setup_intent.created', si);
  return si;
}

/** The emulator's 3-D Secure page for a SetupIntent (the same page as for PaymentIntents). */
function challengeUrl(op: Op, si: Stripe.SetupIntent): string {
  return `${op.emu.baseUrl}/3ds/setup/${si.id}`;
}

function succeed(op: Op, si: Stripe.SetupIntent, pm: Stripe.PaymentMethod): SetupOutcome {
  const customer = idOf(si.customer);
  if (customer && idOf(pm.customer) !== customer) attachPaymentMethod(op, pm, customer);
  si.status = 'succeeded';
  si.next_action = null;
  si.last_setup_error = null;
  save(op, si);
  op.emit('setup_intent.succeeded', si);
  for (const hook of op.emu.hooks.setupSucceeded) hook(op, si);
  return { status: 'succeeded' };
}

function fail(op: Op, si: Stripe.SetupIntent, pm: Stripe.PaymentMethod, error: StripeErrorBody) {
  si.status = 'requires_payment_method';
  si.payment_method = null;
  si.next_action = null;
  si.last_setup_error = {
    code: error.code,
    decline_code: error.decline_code,
    doc_url: error.doc_url,
    message: error.message,
    payment_method: structuredClone(pm),
    type: error.type === 'card_error' ? 'card_error' : 'invalid_request_error',
  };
  save(op, si);
  op.emit('setup_intent.setup_failed', si);
  return { status: 'failed' as const, error: { ...error, setup_intent: structuredClone(si) } };
}

/**
 * Confirms with the SetupIntent's card, as its test card dictates
 * (https://docs.stripe.com/testing#authentication-and-setup): cards that decline on attach fail,
 * every 3-D Secure card (3155, 3184, 3220, 3063) asks for authentication, the rest succeed.
 */
export function confirmSetup(
  op: Op,
  si: Stripe.SetupIntent,
  options: { returnUrl: string | null },
): SetupOutcome {
  const pm = op.store.objects.payment_method.get(idOf(si.payment_method) ?? '');
  if (!pm) {
    throw invalidRequest(
      "You cannot confirm this SetupIntent because it's missing a payment method. Update the SetupIntent with a payment method and then confirm it again.",
      { code: 'setup_intent_unexpected_state' },
    );
  }
  const behaviour = cardFor(cardNumberOf(op, pm)).behaviour;
  if (behaviour.kind === 'decline' && behaviour.onAttach) {
    return fail(op, si, pm, {
      type: 'card_error',
      code: behaviour.code,
      decline_code: behaviour.decline_code,
      message: behaviour.message,
      doc_url: `https://docs.stripe.com/error-codes/${behaviour.code.replaceAll('_', '-')}`,
    });
  }
  if (behaviour.kind !== 'three_d_secure') return succeed(op, si, pm);
  const url = challengeUrl(op, si);
  si.status = 'requires_action';
  si.next_action = challengeAction(url, options.returnUrl);
  save(op, si);
  op.emit('setup_intent.requires_action', si);
  return { status: 'requires_action', url };
}

/** The cardholder's answer to the challenge. Returns where the browser goes next (or null). */
export function resolveSetupChallenge(
  op: Op,
  si: Stripe.SetupIntent,
  outcome: 'complete' | 'fail',
): string | null {
  if (si.status !== 'requires_action') {
    throw invalidRequest(
      `This SetupIntent is not awaiting 3-D Secure authentication (its status is ${si.status}).`,
      { code: 'setup_intent_unexpected_state' },
    );
  }
  const returnUrl = si.next_action?.redirect_to_url?.return_url ?? null;
  const pm = op.store.objects.payment_method.get(idOf(si.payment_method) ?? '');
  if (!pm) throw new Error(`setup intent ${si.id} lost its payment method`);
  if (outcome === 'complete') succeed(op, si, pm);
  else
    fail(op, si, pm, {
      type: 'invalid_request_error',
      code: 'setup_intent_authentication_failure',
      doc_url: 'https://docs.stripe.com/error-codes/setup-intent-authentication-failure',
      message: 'The latest attempt to set up the payment method has failed because authentication failed.',
    });
  return afterChallenge(returnUrl, 'setup_intent', si, outcome);
}

const CANCELABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export function cancelSetupIntent(
  op: Op,
  si: Stripe.SetupIntent,
  reason: Stripe.SetupIntent.CancellationReason | null,
): void {
  if (!CANCELABLE.includes(si.status)) {
    throw invalidRequest(`You cannot cancel this SetupIntent because it has a status of ${si.status}.`, {
      code: 'setup_intent_unexpected_state',
    });
  }
  si.status = 'canceled';
  si.cancellation_reason = reason;
  si.next_action = null;
  save(op, si);
  op.emit('setup_intent.canceled', si);
}
