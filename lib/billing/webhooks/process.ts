import 'server-only';
import type Stripe from 'stripe';
import { db } from '@/lib/db';
import { stripe } from '@/lib/billing/stripe';
import { deliverPendingEmails } from '@/lib/email/outbox';
import { log } from '@/lib/log';
import { handlerFor } from './handlers';

export type ProcessResult = 'processed' | 'ignored' | 'failed' | 'skipped';

/**
 * Apply one recorded event, at most once. The event row is locked for the
 * whole transaction (FOR UPDATE SKIP LOCKED), so concurrent deliveries of the
 * same event never both apply it. The handler's writes and the status change
 * commit together; on failure they roll back and the failure is recorded
 * outside the transaction, for the sweeper or a manual replay.
 */
/** Deadlocks, serialization failures and unique races are settled by trying again. */
function retryable(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /40P01|40001|deadlock detected|could not serialize|Unique constraint failed|P2002|P2034/.test(text);
}

export async function processEvent(eventId: string, attempt = 1): Promise<ProcessResult> {
  let type = 'unknown';
  try {
    const result = await db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<Array<{ status: string; payload: Stripe.Event }>>`
          SELECT status, payload FROM "WebhookEvent" WHERE id = ${eventId} FOR UPDATE SKIP LOCKED`;
        const row = rows[0];
        if (!row || row.status === 'processed' || row.status === 'ignored')
          return { result: 'skipped' as const, outcome: 'already applied or in progress' };
        const event = row.payload;
        type = event.type;
        const handler = handlerFor(event.type);
        if (!handler) {
          await tx.webhookEvent.update({
            where: { id: eventId },
            data: {
              status: 'ignored',
              outcome: 'no handler for this type',
              processedAt: new Date(),
              attempts: { increment: 1 },
            },
          });
          return { result: 'ignored' as const, outcome: 'no handler for this type' };
        }
        const outcome = await handler(event, {
          tx,
          stripe: stripe(),
          eventAt: new Date(event.created * 1000),
        });
        await tx.webhookEvent.update({
          where: { id: eventId },
          data: {
            status: 'processed',
            outcome,
            error: null,
            processedAt: new Date(),
            attempts: { increment: 1 },
          },
        });
        return { result: 'processed' as const, outcome };
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    if (result.result !== 'skipped')
      log.info('webhook.applied', { event: eventId, type, result: result.result, outcome: result.outcome });
    if (result.result === 'processed')
      await deliverPendingEmails().catch((error: unknown) =>
        log.error('email.delivery_failed', { error: String(error) }),
      );
    return result.result;
  } catch (error) {
    if (attempt < 4 && retryable(error)) {
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
      return processEvent(eventId, attempt + 1);
    }
    const message = error instanceof Error ? error.message : String(error);
    log.error('webhook.failed', { event: eventId, type, error: message });
    await db.webhookEvent
      .update({
        where: { id: eventId },
        data: { status: 'failed', error: message.slice(0, 2000), attempts: { increment: 1 } },
      })
      .catch(() => {});
    return 'failed';
  }
}

/** Apply every event recorded but not applied (after a crash, or a failure), oldest first. */
export async function sweepWebhookEvents(
  options: { olderThanMs?: number; limit?: number; maxAttempts?: number } = {},
): Promise<Record<ProcessResult, number>> {
  const { olderThanMs = 10_000, limit = 100, maxAttempts = 25 } = options;
  const due = await db.webhookEvent.findMany({
    where: {
      status: { in: ['received', 'failed'] },
      receivedAt: { lte: new Date(Date.now() - olderThanMs) },
      attempts: { lt: maxAttempts },
    },
    orderBy: [{ stripeCreated: 'asc' }, { receivedAt: 'asc' }],
    take: limit,
    select: { id: true },
  });
  const counts: Record<ProcessResult, number> = { processed: 0, ignored: 0, failed: 0, skipped: 0 };
  for (const { id } of due) counts[await processEvent(id)] += 1;
  return counts;
}

/**
 * Staff "re-process": put an event back to `received` and apply it again. For
 * an event already applied this changes nothing (every handler is guarded and
 * keyed by source), so the action is safe to repeat.
 */
export async function replayEvent(eventId: string): Promise<ProcessResult | 'missing'> {
  const { count } = await db.webhookEvent.updateMany({
    where: { id: eventId },
    data: { status: 'received' },
  });
  if (count === 0) return 'missing';
  return processEvent(eventId);
}
