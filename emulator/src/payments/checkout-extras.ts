import type Stripe from 'stripe';
import type { Op } from '../op';
import type { CheckoutExtras } from '../store';

/** A Checkout Session's stored line items and options (not part of the API object). */
export function extrasOf(op: Op, session: Stripe.Checkout.Session): CheckoutExtras {
  const extras = op.store.internal.checkout_extras.get(session.id);
  if (!extras) throw new Error(`Checkout Session ${session.id} has no stored line items`);
  return extras;
}

/** Keeps the email typed on the Checkout page with the session; returns the session's extras. */
export function rememberEmail(op: Op, session: Stripe.Checkout.Session, email: string): CheckoutExtras {
  const extras = extrasOf(op, session);
  extras.email = email;
  op.store.internal.checkout_extras.set(extras);
  return extras;
}
