import type Stripe from 'stripe';
import { idOf } from '@/lib/billing/ids';
import { applySubscription } from '@/lib/billing/mirror/subscription';
import { queueEmail } from '@/lib/email/outbox';
import { trialWillEndEmail } from '@/lib/email/templates';
import type { Handler } from '../types';

type SubscriptionEvent =
  | Stripe.CustomerSubscriptionCreatedEvent
  | Stripe.CustomerSubscriptionUpdatedEvent
  | Stripe.CustomerSubscriptionDeletedEvent
  | Stripe.CustomerSubscriptionPausedEvent
  | Stripe.CustomerSubscriptionResumedEvent;

export const subscriptionChanged: Handler<SubscriptionEvent> = (event, ctx) =>
  applySubscription(ctx, event.data.object);

export const trialWillEnd: Handler<Stripe.CustomerSubscriptionTrialWillEndEvent> = async (event, ctx) => {
  const subscription = event.data.object;
  const outcome = await applySubscription(ctx, subscription);
  const customerId = idOf(subscription.customer);
  const customer = customerId
    ? await ctx.tx.customer.findUnique({
        where: { id: customerId },
        select: { user: { select: { email: true } } },
      })
    : null;
  if (!customer || !subscription.trial_end) return outcome;
  const queued = await queueEmail(ctx.tx, {
    dedupeKey: `trial-will-end:${subscription.id}:${subscription.trial_end}`,
    to: customer.user.email,
    ...trialWillEndEmail({ trialEnd: new Date(subscription.trial_end * 1000) }),
  });
  return `${outcome}; trial-ending email ${queued ? 'queued' : 'already sent'}`;
};
