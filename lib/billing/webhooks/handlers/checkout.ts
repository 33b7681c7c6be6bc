import type Stripe from 'stripe';
import { idOf } from '@/lib/billing/ids';
import { ensureMirroredCustomer } from '@/lib/billing/mirror/customer';
import { lockObject } from '@/lib/billing/mirror/guard';
import { applySubscription } from '@/lib/billing/mirror/subscription';
import type { Handler } from '../types';
import { creditCheckoutCompleted } from './payments';

/**
 * A completed subscription checkout: make sure the customer and subscription
 * are mirrored even if their own events have not arrived yet (any event may be
 * the first one seen). A payment-mode session is a credit purchase.
 */
export const checkoutCompleted: Handler<Stripe.CheckoutSessionCompletedEvent> = async (event, ctx) => {
  const session = event.data.object;
  if (session.mode === 'payment') return creditCheckoutCompleted(session, ctx);
  if (session.mode !== 'subscription') return `checkout ${session.id} (${session.mode}) needs no work`;
  const customerId = idOf(session.customer);
  const subscriptionId = idOf(session.subscription);
  if (!customerId || !subscriptionId) return `checkout ${session.id} has no subscription yet`;
  // Lock order (guard.ts): the subscription's lock before the customer, as every event of the
  // subscription takes them; the other way round two events of one Checkout deadlocked (40P01).
  await lockObject(ctx.tx, subscriptionId);
  const customer = await ensureMirroredCustomer(ctx, customerId);
  if (!customer) return `ignored checkout ${session.id}: customer not linked to a Tollgate workspace`;
  const subscription = await ctx.stripe.subscriptions.retrieve(subscriptionId);
  return applySubscription(ctx, subscription, 'refetched');
};
