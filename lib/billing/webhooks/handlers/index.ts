import type Stripe from 'stripe';
import type { Handler } from '../types';
import { checkoutCompleted } from './checkout';
import { customerChanged } from './customer';
import { entitlementSummaryUpdated } from './entitlements';
import {
  invoiceChanged,
  invoiceDeleted,
  invoicePaid,
  invoicePaymentActionRequired,
  invoicePaymentFailed,
} from './invoice';
import {
  chargeRefunded,
  chargeSucceeded,
  checkoutAsyncFailed,
  checkoutAsyncSucceeded,
  checkoutExpired,
  paymentIntentCanceled,
  paymentIntentFailed,
  paymentIntentSucceeded,
} from './payments';
import { disputeChanged } from './disputes';
import { refundChanged } from './refunds';
import { subscriptionChanged, trialWillEnd } from './subscription';

// Event type → handler. Types not listed are acknowledged and logged as ignored.
const handlers = new Map<string, Handler<never>>(
  Object.entries({
    'customer.created': customerChanged,
    'customer.updated': customerChanged,
    'customer.deleted': customerChanged,
    'customer.subscription.created': subscriptionChanged,
    'customer.subscription.updated': subscriptionChanged,
    'customer.subscription.deleted': subscriptionChanged,
    'customer.subscription.paused': subscriptionChanged,
    'customer.subscription.resumed': subscriptionChanged,
    'customer.subscription.trial_will_end': trialWillEnd,
    'invoice.created': invoiceChanged,
    'invoice.finalized': invoiceChanged,
    'invoice.updated': invoiceChanged,
    'invoice.voided': invoiceChanged,
    'invoice.marked_uncollectible': invoiceChanged,
    'invoice.deleted': invoiceDeleted,
    'invoice.payment_succeeded': invoiceChanged,
    'invoice.paid': invoicePaid,
    'invoice.payment_failed': invoicePaymentFailed,
    'invoice.payment_action_required': invoicePaymentActionRequired,
    'entitlements.active_entitlement_summary.updated': entitlementSummaryUpdated,
    'checkout.session.completed': checkoutCompleted,
    'checkout.session.async_payment_succeeded': checkoutAsyncSucceeded,
    'checkout.session.async_payment_failed': checkoutAsyncFailed,
    'checkout.session.expired': checkoutExpired,
    'payment_intent.succeeded': paymentIntentSucceeded,
    'payment_intent.payment_failed': paymentIntentFailed,
    'payment_intent.canceled': paymentIntentCanceled,
    'charge.succeeded': chargeSucceeded,
    'charge.refunded': chargeRefunded,
    'charge.refund.updated': refundChanged,
    'refund.created': refundChanged,
    'refund.updated': refundChanged,
    'refund.failed': refundChanged,
    'charge.dispute.created': disputeChanged,
    'charge.dispute.updated': disputeChanged,
    'charge.dispute.closed': disputeChanged,
    'charge.dispute.funds_withdrawn': disputeChanged,
    'charge.dispute.funds_reinstated': disputeChanged,
  } satisfies Partial<Record<Stripe.Event.Type, Handler<never>>>),
);

/** A Map, so `constructor`, `toString` or `__proto__` are unknown types (ignored), never Object.prototype's members. */
export function handlerFor(type: string): Handler | undefined {
  return handlers.get(type) as Handler | undefined;
}
