import type Stripe from 'stripe';
import type { CheckoutOutcome, Emulator } from '../emulator';
import type { Op } from '../op';
import { cardFor } from '../payments/cards';
import { completeSession } from '../payments/checkout';
import { confirmCheckoutSetup, sessionOfSetup } from '../payments/checkout-setup';
import { extrasOf, rememberEmail } from '../payments/checkout-extras';
import { idOf } from '../values';
import { createCustomer } from '../resources/customers';
import { attachPaymentMethod, cardNumberOf } from '../resources/payment-methods';
import type { InvoiceObject, PriceObject, SubscriptionObject } from '../types';
import type { StripeErrorBody } from '../wire/errors';
import { sessionDiscount } from './checkout-discounts';
import { collectInvoice } from './invoices';
import { createSubscription, finishCreation, paymentIntentOf, startSubscription } from './lifecycle';
import { announce, saveState, saveSubscription, stateOf } from './subscriptions';
import { DAY, enterCustomerTime } from './time';

/** A card that fails already when attached (a declining test card) answers like a decline. */
function attachDecline(op: Op, pm: Stripe.PaymentMethod): StripeErrorBody | null {
  const behaviour = cardFor(cardNumberOf(op, pm)).behaviour;
  if (behaviour.kind !== 'decline' || !behaviour.onAttach) return null;
  return {
    type: 'card_error',
    code: behaviour.code,
    decline_code: behaviour.decline_code,
    message: behaviour.message,
    doc_url: `https://docs.stripe.com/error-codes/${behaviour.code.replaceAll('_', '-')}`,
  };
}

/** The subscription a session started in an earlier, unsuccessful attempt. */
export function pendingSubscription(
  op: Op,
  session: Stripe.Checkout.Session,
): SubscriptionObject | undefined {
  return op.store.objects.subscription
    .values()
    .find((s) => s.status === 'incomplete' && stateOf(op, s).checkout_session === session.id);
}

/** The PaymentIntent a subscription-mode session is paying with (for the 3-D Secure return page). */
export function checkoutPaymentIntent(
  op: Op,
  session: Stripe.Checkout.Session,
): Stripe.PaymentIntent | undefined {
  const sub =
    pendingSubscription(op, session) ?? op.store.objects.subscription.get(idOf(session.subscription) ?? '');
  const invoice = sub ? op.store.objects.invoice.get(idOf(sub.latest_invoice) ?? '') : undefined;
  return invoice ? paymentIntentOf(op, invoice) : undefined;
}

function complete(
  op: Op,
  session: Stripe.Checkout.Session,
  sub: SubscriptionObject,
  invoice: InvoiceObject,
): void {
  session.subscription = sub.id;
  session.invoice = invoice.id;
  session.customer = idOf(sub.customer);
  saveState(op, { ...stateOf(op, sub), checkout_session: null });
  const pm = op.store.objects.payment_method.get(idOf(sub.default_payment_method) ?? '') ?? null;
  completeSession(op, session, {
    paymentMethod: pm,
    paymentStatus: invoice.amount_paid > 0 ? 'paid' : 'no_payment_required',
  });
}

/**
 * Stripe creates a Checkout subscription `incomplete` (announced before its first invoice) and
 * updates it to `active` once the invoice is paid. `mark`: where the batch stood before the
 * payment attempt, so `customer.subscription.created` goes out before `invoice.created`.
 * A declined attempt announces nothing: the customer retries on the same page.
 */
function announceIncompleteFirst(op: Op, sub: SubscriptionObject, mark: number): void {
  op.emu.billing.creating.delete(sub.id);
  if (stateOf(op, sub).announced) return;
  const created: SubscriptionObject = { ...structuredClone(sub), status: 'incomplete' };
  op.emitAt(mark, 'customer.subscription.created', created);
  saveState(op, { ...stateOf(op, sub), announced: true });
  if (sub.status !== 'incomplete') announce(op, 'customer.subscription.updated', sub, created);
  else saveSubscription(op, sub);
}

/** The trial end a session's subscription starts with (null: none). */
function sessionTrialEnd(op: Op, session: Stripe.Checkout.Session): number | null {
  const data = extrasOf(op, session).subscription_data;
  const now = op.now();
  const end = data?.trial_end ?? (data?.trial_period_days ? now + data.trial_period_days * DAY : null);
  return end !== null && end > now ? end : null;
}

function newSubscription(
  op: Op,
  session: Stripe.Checkout.Session,
  customer: Stripe.Customer,
  pm: Stripe.PaymentMethod,
): SubscriptionObject | { problem: string } {
  const extras = extrasOf(op, session);
  const data = extras.subscription_data;
  const discount = sessionDiscount(op, session);
  if (discount && 'problem' in discount) return discount;
  const trialEnd = sessionTrialEnd(op, session);
  const items = extras.line_items
    .filter(
      (item): item is typeof item & { price: PriceObject } =>
        item.price?.recurring !== null && item.price !== null,
    )
    .map((item) => ({ price: item.price, quantity: item.quantity ?? 1, metadata: {} }));
  return createSubscription(op, {
    customer,
    items,
    metadata: { ...data?.metadata },
    description: data?.description ?? null,
    default_payment_method: pm.id,
    trial_end: trialEnd,
    cancel_at_period_end: false,
    discounts: discount ? [discount] : [],
    checkout_session: session.id,
    missing_payment_method: data?.missing_payment_method ?? 'create_invoice',
  });
}

function promotionProblem(message: string): CheckoutOutcome {
  return {
    status: 'failed',
    error: { type: 'invalid_request_error', code: 'promotion_code_invalid', message },
  };
}

/** The card is attached (unless a SetupIntent did it) and becomes the customer's default. */
function makeDefault(op: Op, customer: Stripe.Customer, pm: Stripe.PaymentMethod): void {
  if (idOf(pm.customer) !== customer.id) attachPaymentMethod(op, pm, customer.id);
  const before = structuredClone(customer);
  customer.invoice_settings.default_payment_method = pm.id;
  op.store.objects.customer.set(customer);
  op.emitUpdated('customer.updated', before, customer);
}

/**
 * A trial's card is set up (at once, or after the 3-D Secure challenge): the card becomes the
 * default, the trialing subscription starts with its paid $0 invoice and the session completes.
 */
function startTrial(op: Op, session: Stripe.Checkout.Session, si: Stripe.SetupIntent): void {
  const customer = op.store.objects.customer.get(idOf(si.customer) ?? '');
  const pm = op.store.objects.payment_method.get(idOf(si.payment_method) ?? '');
  if (!customer || !pm) return;
  makeDefault(op, customer, pm);
  const sub = newSubscription(op, session, customer, pm);
  if ('problem' in sub) return;
  const { invoice } = startSubscription(op, sub, {
    behavior: 'allow_incomplete',
    offSession: false,
    returnUrl: null,
  });
  finishCreation(op, sub);
  complete(op, session, sub, invoice);
}

/**
 * Subscription mode: the card is attached and becomes the customer's default, the subscription
 * and its first invoice are created and the invoice is paid on-session. A decline leaves the
 * session open (the next attempt reuses the same subscription and invoice); 3-D Secure finishes
 * through the payment hooks. With a trial the card is set up first (`startTrial`).
 */
function paySubscriptionMode(
  op: Op,
  session: Stripe.Checkout.Session,
  input: { paymentMethod: Stripe.PaymentMethod; email: string },
): CheckoutOutcome {
  const extras = rememberEmail(op, session, input.email);
  const declined = attachDecline(op, input.paymentMethod);
  if (declined) return { status: 'failed', error: declined };
  let customerId = idOf(session.customer) ?? extras.created_customer;
  if (!customerId) {
    customerId = createCustomer(op, {
      email: input.email,
      name: input.paymentMethod.billing_details.name,
    }).id;
    extras.created_customer = customerId;
    op.store.internal.checkout_extras.set(extras);
  }
  enterCustomerTime(op, customerId);
  const customer = op.store.objects.customer.get(customerId);
  if (!customer) throw new Error(`customer ${customerId} vanished`);
  // A trial collects the card through a SetupIntent (https://docs.stripe.com/payments/checkout/free-trials).
  if (sessionTrialEnd(op, session) !== null) {
    const discount = sessionDiscount(op, session);
    if (discount && 'problem' in discount) return promotionProblem(discount.problem);
    return confirmCheckoutSetup(op, session, customer.id, input.paymentMethod);
  }
  makeDefault(op, customer, input.paymentMethod);

  const returnUrl = `${op.emu.baseUrl}/c/pay/${session.id}/return`;
  let sub = pendingSubscription(op, session);
  let invoice: InvoiceObject | undefined;
  const mark = op.batch.length;
  if (sub) {
    sub.default_payment_method = input.paymentMethod.id;
    saveSubscription(op, sub);
    op.emu.billing.creating.add(sub.id);
    invoice = op.store.objects.invoice.get(idOf(sub.latest_invoice) ?? '');
    if (invoice?.status === 'open')
      collectInvoice(op, invoice, { paymentMethod: input.paymentMethod.id, offSession: false, returnUrl });
  } else {
    const created = newSubscription(op, session, customer, input.paymentMethod);
    if ('problem' in created) return promotionProblem(created.problem);
    sub = created;
    invoice = startSubscription(op, sub, {
      behavior: 'allow_incomplete',
      offSession: false,
      returnUrl,
    }).invoice;
  }
  op.emu.billing.creating.delete(sub.id);
  if (!invoice) throw new Error(`subscription ${sub.id} has no invoice`);
  if (invoice.status === 'paid') {
    announceIncompleteFirst(op, sub, mark);
    complete(op, session, sub, invoice);
    return { status: 'complete' };
  }
  const pi = paymentIntentOf(op, invoice);
  if (pi?.status === 'requires_action' && pi.next_action?.redirect_to_url?.url) {
    announceIncompleteFirst(op, sub, mark);
    return { status: 'requires_action', payment_intent: pi.id, url: pi.next_action.redirect_to_url.url };
  }
  const error = pi?.last_payment_error;
  return {
    status: 'failed',
    error: {
      type: 'card_error',
      code: error?.code ?? 'card_declined',
      decline_code: error?.decline_code,
      message: error?.message ?? 'Your card was declined.',
      charge: error?.charge,
    },
  };
}

export function registerCheckoutSubscriptions(emu: Emulator): void {
  emu.hooks.checkoutModes.set('subscription', { pay: paySubscriptionMode });
  emu.hooks.setupSucceeded.push((op, si) => {
    const session = sessionOfSetup(op, si);
    if (session?.mode === 'subscription') startTrial(op, session, si);
  });
  // 3-D Secure answered later: the subscription flow has announced the subscription by now.
  emu.hooks.invoicePaid.push((op, invoice) => {
    const sub = op.store.objects.subscription.get(
      idOf(invoice.parent?.subscription_details?.subscription ?? null) ?? '',
    );
    const state = sub ? stateOf(op, sub) : null;
    if (!sub || !state?.announced || !state.checkout_session) return;
    const session = op.store.objects['checkout.session'].get(state.checkout_session);
    if (session?.status === 'open') complete(op, session, sub, invoice);
  });
}
