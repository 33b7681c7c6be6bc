import type { Emulator } from '../emulator';
import type { Op } from '../op';
import { createSetupIntent } from '../payments/setup';
import type { SubscriptionObject } from '../types';
import { idOf } from '../values';
import { changed, saveSubscription } from './subscriptions';

/**
 * `subscription.pending_setup_intent` (https://docs.stripe.com/api/subscriptions/object#subscription_object-pending_setup_intent,
 * https://docs.stripe.com/billing/subscriptions/build-subscriptions#create-subscription): a
 * subscription created with `payment_behavior: 'default_incomplete'` whose first invoice needs
 * no payment (a trial, or $0) gets a SetupIntent, which the client confirms to save a card
 * (with 3-D Secure if the card asks) for the invoices to come.
 */
export function createPendingSetup(op: Op, sub: SubscriptionObject): void {
  const si = createSetupIntent(op, {
    customer: idOf(sub.customer),
    description: null,
    metadata: {},
    usage: 'off_session',
    payment_method: idOf(sub.default_payment_method),
  });
  sub.pending_setup_intent = si.id;
  saveSubscription(op, sub);
}

/** Once the SetupIntent succeeds the subscription no longer waits for it. */
export function registerPendingSetup(emu: Emulator): void {
  emu.hooks.setupSucceeded.push((op, si) => {
    const sub = op.store.objects.subscription.values().find((s) => s.pending_setup_intent === si.id);
    if (!sub) return;
    const before = structuredClone(sub);
    sub.pending_setup_intent = null;
    const card = idOf(si.payment_method);
    if (sub.payment_settings?.save_default_payment_method === 'on_subscription' && card)
      sub.default_payment_method = card;
    changed(op, sub, before);
  });
}
