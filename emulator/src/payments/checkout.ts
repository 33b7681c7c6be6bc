import type Stripe from 'stripe';
import { redeemSessionDiscount } from '../billing/checkout-discounts';
import { enterCustomerTime } from '../billing/time';
import type { CheckoutOutcome, Emulator } from '../emulator';
import type { Host, Op } from '../op';
import { address, idOf } from '../values';
import { createCustomer } from '../resources/customers';
import { createPaymentIntent } from '../resources/payment-intents';
import { invalidRequest } from '../wire/errors';
import { createCardPaymentMethod } from '../resources/payment-methods';
import { isCardInputError, readCardInput } from './card-input';
import { attemptPayment, cancelPaymentIntent } from './engine';
import { extrasOf, rememberEmail } from './checkout-extras';
import type { CheckoutExtras } from '../store';

function save(op: Op, session: Stripe.Checkout.Session): void {
  op.store.objects['checkout.session'].set(session);
}

/** Where the payer lands after paying: success_url with `{CHECKOUT_SESSION_ID}` filled in. */
export function successUrl(emu: Host, session: Stripe.Checkout.Session): string {
  if (!session.success_url) return `${emu.baseUrl}/c/pay/${session.id}`;
  return session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id);
}

/** Marks a paid session complete and announces it (subscription mode: once the subscription exists). */
export function completeSession(
  op: Op,
  session: Stripe.Checkout.Session,
  details: {
    paymentMethod: Stripe.PaymentMethod | null;
    paymentStatus?: Stripe.Checkout.Session.PaymentStatus;
  },
): void {
  const extras = extrasOf(op, session);
  const customer = idOf(session.customer) ?? extras.created_customer;
  if (session.mode === 'payment') redeemSessionDiscount(op, session);
  session.status = 'complete';
  session.payment_status = details.paymentStatus ?? 'paid';
  session.url = null;
  session.customer = customer;
  session.customer_details = {
    address: address(details.paymentMethod?.billing_details.address),
    business_name: null,
    email: extras.email ?? session.customer_email,
    individual_name: null,
    name: details.paymentMethod?.billing_details.name ?? null,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  session.collected_information = { business_name: null, individual_name: null, shipping_details: null };
  save(op, session);
  op.emit('checkout.session.completed', session);
}

export function expireSession(op: Op, session: Stripe.Checkout.Session): void {
  session.status = 'expired';
  session.url = null;
  save(op, session);
  op.emit('checkout.session.expired', session);
  const pi = op.store.objects.payment_intent.get(idOf(session.payment_intent) ?? '');
  if (pi && pi.status !== 'succeeded' && pi.status !== 'canceled') cancelPaymentIntent(op, pi, 'abandoned');
}

/** The customer a payment-mode session pays as: given, created earlier, or created now. */
function payingCustomer(
  op: Op,
  session: Stripe.Checkout.Session,
  extras: CheckoutExtras,
  pm: Stripe.PaymentMethod,
): string | null {
  const known = idOf(session.customer) ?? extras.created_customer;
  if (known || session.customer_creation !== 'always') return known;
  const customer = createCustomer(op, { email: extras.email, name: pm.billing_details.name });
  extras.created_customer = customer.id;
  op.store.internal.checkout_extras.set(extras);
  return customer.id;
}

/** Payment mode: one PaymentIntent per session, reused across attempts until it succeeds. */
function payPaymentMode(
  op: Op,
  session: Stripe.Checkout.Session,
  input: { paymentMethod: Stripe.PaymentMethod; email: string },
): CheckoutOutcome {
  const extras = rememberEmail(op, session, input.email);
  const customer = payingCustomer(op, session, extras, input.paymentMethod);
  let pi = op.store.objects.payment_intent.get(idOf(session.payment_intent) ?? '');
  if (!pi) {
    const data = extras.payment_intent_data;
    pi = createPaymentIntent(op, {
      amount: session.amount_total ?? 0,
      currency: session.currency ?? 'usd',
      customer,
      description: data?.description ?? null,
      metadata: { ...data?.metadata },
      receipt_email: data?.receipt_email ?? null,
      setup_future_usage: data?.setup_future_usage ?? null,
      statement_descriptor: data?.statement_descriptor ?? null,
      statement_descriptor_suffix: data?.statement_descriptor_suffix ?? null,
      application_fee_amount: data?.application_fee_amount ?? null,
      payment_method_types: ['card'],
    });
    session.payment_intent = pi.id;
    save(op, session);
  }
  pi.amount = session.amount_total ?? pi.amount;
  pi.payment_method = input.paymentMethod.id;
  pi.status = 'requires_confirmation';
  if (!pi.customer && customer) pi.customer = customer;
  op.store.objects.payment_intent.set(pi);
  const outcome = attemptPayment(op, pi, {
    offSession: false,
    returnUrl: `${op.emu.baseUrl}/c/pay/${session.id}/return`,
  });
  if (outcome.status === 'succeeded') return { status: 'complete' };
  if (outcome.status === 'requires_action')
    return { status: 'requires_action', payment_intent: pi.id, url: outcome.url };
  return outcome;
}

function assertOpen(session: Stripe.Checkout.Session): void {
  if (session.status === 'open') return;
  throw invalidRequest(
    session.status === 'complete'
      ? 'This Checkout Session has already been completed.'
      : 'This Checkout Session has expired.',
    { code: 'checkout_session_unexpected_state' },
  );
}

/** Pays an open session with a card, in whatever way its mode takes payment. */
export function paySession(
  op: Op,
  session: Stripe.Checkout.Session,
  input: { paymentMethod: Stripe.PaymentMethod; email: string },
): CheckoutOutcome {
  assertOpen(session);
  enterCustomerTime(op, session.customer);
  const mode = op.emu.hooks.checkoutModes.get(session.mode);
  if (!mode) {
    throw invalidRequest(
      `Completing \`${session.mode}\` mode Checkout Sessions is not supported by the emulator yet.`,
      {
        param: 'mode',
      },
    );
  }
  return mode.pay(op, session, input);
}

export function registerCheckoutFlow(emu: Emulator): void {
  emu.hooks.checkoutModes.set('payment', { pay: payPaymentMode });
  emu.hooks.paymentSucceeded.push((op, pi) => {
    const session = op.store.objects['checkout.session'].values().find((s) => s.payment_intent === pi.id);
    if (!session || session.status !== 'open' || session.mode !== 'payment') return;
    const pm = op.store.objects.payment_method.get(idOf(pi.payment_method) ?? '') ?? null;
    completeSession(op, session, { paymentMethod: pm });
  });
  emu.hooks.ticks.push((op) => {
    const now = op.now();
    for (const session of op.store.objects['checkout.session'].values()) {
      if (session.status === 'open' && session.expires_at <= now) expireSession(op, session);
    }
  });
}

/** The email Checkout already knows for a session (from its customer or customer_email). */
export function knownEmail(op: Op, session: Stripe.Checkout.Session): string | null {
  const customer = op.store.objects.customer.get(idOf(session.customer) ?? '');
  return customer?.email ?? session.customer_email ?? null;
}

export interface CardSubmission {
  email?: string;
  name?: string;
  number: string;
  expiry?: string;
  expMonth?: string;
  expYear?: string;
  cvc: string;
}

export type SubmitResult = CheckoutOutcome | { status: 'invalid'; error: { code: string; message: string } };

/** What the hosted page and the emulator's pay endpoint both do with a typed-in card. */
export function submitCard(op: Op, session: Stripe.Checkout.Session, input: CardSubmission): SubmitResult {
  const email = knownEmail(op, session) ?? input.email?.trim() ?? '';
  if (!email)
    return { status: 'invalid', error: { code: 'email_invalid', message: 'Your email is incomplete.' } };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    return { status: 'invalid', error: { code: 'email_invalid', message: 'Your email address is invalid.' } };
  }
  const card = readCardInput(input, new Date(op.emu.clock.nowMs()));
  if (isCardInputError(card)) return { status: 'invalid', error: card };
  assertOpen(session);
  const paymentMethod = createCardPaymentMethod(op, { ...card, email, name: input.name?.trim() || null });
  return paySession(op, session, { paymentMethod, email });
}
