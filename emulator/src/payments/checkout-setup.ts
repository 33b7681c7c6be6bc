import type Stripe from 'stripe';
import type { CheckoutOutcome, Emulator } from '../emulator';
import type { Op } from '../op';
import { idOf } from '../values';
import { completeSession } from './checkout';
import { extrasOf, rememberEmail } from './checkout-extras';
import { confirmSetup, createSetupIntent } from './setup';

/**
 * Checkout's SetupIntent: saves the card of a `setup` mode session, or of a subscription session
 * with a trial (https://docs.stripe.com/payments/save-and-reuse?platform=checkout,
 * https://docs.stripe.com/payments/checkout/free-trials). One SetupIntent per session, confirmed
 * again on each attempt; a 3-D Secure card goes through the challenge page and back to the
 * session. Whatever follows a successful setup runs in the `setupSucceeded` hooks, so it is the
 * same whether the card needed a challenge or not.
 */
export function confirmCheckoutSetup(
  op: Op,
  session: Stripe.Checkout.Session,
  customer: string | null,
  paymentMethod: Stripe.PaymentMethod,
): CheckoutOutcome {
  let si = op.store.objects.setup_intent.get(idOf(session.setup_intent) ?? '');
  if (!si || si.status === 'succeeded' || si.status === 'canceled') {
    const data = extrasOf(op, session).setup_intent_data;
    si = createSetupIntent(op, {
      customer,
      description: data?.description ?? null,
      metadata: { ...data?.metadata },
      usage: 'off_session',
      payment_method: paymentMethod.id,
    });
    session.setup_intent = si.id;
    op.store.objects['checkout.session'].set(session);
  } else {
    si.payment_method = paymentMethod.id;
    si.customer = customer ?? si.customer;
    si.status = 'requires_confirmation';
    op.store.objects.setup_intent.set(si);
  }
  const outcome = confirmSetup(op, si, { returnUrl: `${op.emu.baseUrl}/c/pay/${session.id}/return` });
  if (outcome.status === 'requires_action')
    return { status: 'requires_action', url: outcome.url, setup_intent: si.id };
  if (outcome.status === 'failed') return { status: 'failed', error: outcome.error };
  if (session.status === 'complete') return { status: 'complete' };
  return {
    status: 'failed',
    error: { type: 'invalid_request_error', message: 'The session could not be completed.' },
  };
}

/** The open session a SetupIntent belongs to, if any. */
export function sessionOfSetup(op: Op, si: Stripe.SetupIntent): Stripe.Checkout.Session | undefined {
  return op.store.objects['checkout.session']
    .values()
    .find((s) => s.status === 'open' && s.setup_intent === si.id);
}

/** Setup mode: the card is saved (to the session's customer, if it names one), nothing is charged. */
function paySetupMode(
  op: Op,
  session: Stripe.Checkout.Session,
  input: { paymentMethod: Stripe.PaymentMethod; email: string },
): CheckoutOutcome {
  rememberEmail(op, session, input.email);
  return confirmCheckoutSetup(op, session, idOf(session.customer), input.paymentMethod);
}

export function registerCheckoutSetup(emu: Emulator): void {
  emu.hooks.checkoutModes.set('setup', { pay: paySetupMode });
  emu.hooks.setupSucceeded.push((op, si) => {
    const session = sessionOfSetup(op, si);
    if (session?.mode !== 'setup') return;
    const pm = op.store.objects.payment_method.get(idOf(si.payment_method) ?? '') ?? null;
    completeSession(op, session, { paymentMethod: pm, paymentStatus: 'no_payment_required' });
  });
}
