import type Stripe from 'stripe';
import { idOf } from '@/lib/billing/ids';
import { applySubscription } from '@/lib/billing/mirror/subscription';
import { queueEmail } from '@/lib/email/outbox';
import { trialWillEndEmail } from '@/lib/email/templates';
import type { Handler } from '../types';
import { billingEmailOf } from '@/lib/workspaces/billing-contact';

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
    ? await ctx.tx.customer.findUnique({ where: { id: customerId }, select: { workspaceId: true } })
    : null;
  const to = customer ? await billingEmailOf(ctx.tx, customer.workspaceId) : null;
  if (!to || !subscription.trial_end) return outcome;
  const queued = await queueEmail(ctx.tx, {
    dedupeKey: `trial-will-end:${subscription.id}:${subscription.trial_end}`,
    to,
    ...trialWillEndEmail({ trialEnd: new Date(subscription.trial_end * 1000) }),
  });
  return `${outcome}; trial-ending email ${queued ? 'queued' : 'already sent'}`;
};
