import 'server-only';
import type { Tx } from '@/lib/billing/webhooks/types';
import { db } from '@/lib/db';
import { queueEmail } from '@/lib/email/outbox';
import { downgradedEmail } from '@/lib/email/templates';
import { env } from '@/lib/env';
import { addJob } from '@/lib/jobs/enqueue';
import { billingEmailOf } from '@/lib/workspaces/billing-contact';

// Dunning downgrades: one `dunning_downgrade` job per past_due episode of a
// subscription, due when its grace period ends. No scan of past_due rows.

const graceMs = () => env().DUNNING_GRACE_DAYS * 86_400_000;

/**
 * When the downgrade is due on the wall clock. Grace is counted in the
 * customer's Stripe time, which runs ahead of ours on a test clock: `stripeNow`
 * (the newest event's time) tells by how much.
 */
export function downgradeDueAt(pastDueSince: Date, stripeNow: Date, now = new Date()): Date {
  const ahead = Math.max(0, stripeNow.getTime() - now.getTime());
  return new Date(pastDueSince.getTime() + graceMs() - ahead);
}

/** Schedule (or move) the subscription's downgrade job; called by the mirror when it turns past_due. */
export async function scheduleDowngrade(
  tx: Tx,
  subscriptionId: string,
  pastDueSince: Date,
  stripeNow: Date,
): Promise<void> {
  await addJob(
    tx,
    'dunning_downgrade',
    { subscriptionId },
    { jobKey: `dunning:${subscriptionId}`, runAt: downgradeDueAt(pastDueSince, stripeNow) },
  );
}

/**
 * The job: if the subscription is still past_due and its grace has run out,
 * tell the workspace's billing contact once per episode (the email's key names the episode). Not yet
 * due (its Stripe clock moved slower than expected): schedule itself again.
 */
export async function runDowngrade(subscriptionId: string): Promise<string> {
  const subscription = await db.subscription.findUnique({
    where: { id: subscriptionId },
    select: { status: true, workspaceId: true, pastDueSince: true },
  });
  if (!subscription || subscription.status !== 'past_due' || !subscription.pastDueSince)
    return `subscription ${subscriptionId} is no longer past_due`;
  const pastDueSince = subscription.pastDueSince;
  // The same rule as accessOf: "now" is the later of ours and the customer's Stripe time.
  const customer = await db.customer.findUnique({
    where: { workspaceId: subscription.workspaceId },
    select: { observedAt: true },
  });
  const stripeNow = new Date(Math.max(Date.now(), customer?.observedAt?.getTime() ?? 0));
  const graceEndsAt = new Date(pastDueSince.getTime() + graceMs());
  if (stripeNow < graceEndsAt) {
    await db.$transaction((tx) => scheduleDowngrade(tx, subscriptionId, pastDueSince, stripeNow));
    return `subscription ${subscriptionId} still in grace until ${graceEndsAt.toISOString()}`;
  }
  const queued = await db.$transaction(async (tx) => {
    const to = await billingEmailOf(tx, subscription.workspaceId);
    return to
      ? queueEmail(tx, {
          dedupeKey: `downgraded:${subscriptionId}:${pastDueSince.toISOString()}`,
          to,
          ...downgradedEmail(),
        })
      : false;
  });
  return `subscription ${subscriptionId} downgraded${queued ? ', user emailed' : ''}`;
}
