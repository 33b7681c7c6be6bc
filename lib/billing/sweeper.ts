import 'server-only';
import { accessOf } from '@/lib/billing/entitlements';
import { sweepWebhookEvents } from '@/lib/billing/webhooks/process';
import { db } from '@/lib/db';
import { deliverPendingEmails, queueEmail } from '@/lib/email/outbox';
import { downgradedEmail } from '@/lib/email/templates';
import { cleanupRateLimits } from '@/lib/rate-limit';

/** Tell each user whose grace period has run out, once per past_due episode. */
export async function notifyDowngrades(): Promise<number> {
  const pastDue = await db.subscription.findMany({
    where: { status: 'past_due', pastDueSince: { not: null } },
    select: { id: true, userId: true, pastDueSince: true, user: { select: { email: true } } },
    take: 500,
  });
  let queued = 0;
  for (const subscription of pastDue) {
    if (!(await accessOf(subscription.userId)).downgraded) continue;
    const created = await db.$transaction((tx) =>
      queueEmail(tx, {
        dedupeKey: `downgraded:${subscription.id}:${subscription.pastDueSince!.toISOString()}`,
        to: subscription.user.email,
        ...downgradedEmail(),
      }),
    );
    if (created) queued += 1;
  }
  return queued;
}

/** One pass of background work; safe on any number of instances at once. */
export async function sweep() {
  const events = await sweepWebhookEvents();
  const downgrades = await notifyDowngrades();
  const emails = await deliverPendingEmails(100);
  const rateLimitRows = await cleanupRateLimits();
  return { events, downgrades, emails, rateLimitRows };
}
