import 'server-only';
import type Stripe from 'stripe';
import { db } from '@/lib/db';
import { stripe } from '@/lib/billing/stripe';
import { APPLY_BATCH_TASK, applyQueueFor } from '@/lib/jobs/enqueue';
import { STALE_LOCK_MS } from '@/lib/jobs/stale';
import { log } from '@/lib/log';
import { applyConnectedEvent } from './connected';
import { handlerFor } from './handlers';
import { applyOnHotPath, HOT_TYPES } from './hot-path';

export type ProcessResult = 'processed' | 'ignored' | 'failed' | 'skipped';

/** Deadlocks, serialization failures and unique races are settled by trying again. */
function retryable(error: unknown): boolean {
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  if (code === '40P01' || code === '40001' || code === '23505') return true;
  const text = error instanceof Error ? error.message : String(error);
  return /40P01|40001|deadlock detected|could not serialize|Unique constraint failed|P2002|P2034/.test(text);
}

/**
 * Apply one recorded event, at most once. The event row is locked for the
 * whole transaction (FOR UPDATE SKIP LOCKED), so concurrent deliveries of the
 * same event never both apply it. The handler's writes and the status change
 * commit together (emails it queues are jobs in the same transaction); on
 * failure they roll back and the failure is recorded outside the transaction,
 * and the job queue retries it with backoff (or staff replay it). The commonest
 * events take the hot path (hot-path.ts), the rest their handler.
 *
 * `hint`, when the caller knows it (the job's payload), skips the hot path's
 * claim for an event it does not apply; without it the hot path claims the
 * event and hands any other to the general path.
 */
export interface EventHint {
  type?: string;
  /** A connected account's event (applyConnectedEvent), never the hot path's. */
  connected?: boolean;
}

const mayBeHot = (hint: EventHint) =>
  !hint.connected && (hint.type === undefined || HOT_TYPES.has(hint.type));

export async function processEvent(
  eventId: string,
  hint: EventHint = {},
  attempt = 1,
): Promise<ProcessResult> {
  let type = hint.type ?? 'unknown';
  try {
    const hot = mayBeHot(hint) ? await applyOnHotPath(eventId) : null;
    const result = hot ?? (await applyInTransaction(eventId, (known) => (type = known)));
    if (hot) type = hot.type;
    if (result.result !== 'skipped')
      log.info('webhook.applied', {
        event: eventId,
        type,
        result: result.result,
        outcome: result.outcome,
        path: hot ? 'hot' : 'handler',
      });
    return result.result;
  } catch (error) {
    if (attempt < 4 && retryable(error)) {
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
      return processEvent(eventId, hint, attempt + 1);
    }
    const message = error instanceof Error ? error.message : String(error);
    log.error('webhook.failed', { event: eventId, type, error: message });
    await db.$executeRaw`
      UPDATE "WebhookEvent" SET status = 'failed', error = ${message.slice(0, 2000)}, attempts = attempts + 1
      WHERE id = ${eventId}`.catch(() => {});
    return 'failed';
  }
}

/** The general path: the event's handler in a Prisma interactive transaction. */
function applyInTransaction(
  eventId: string,
  seen: (type: string) => void,
): Promise<{ result: ProcessResult; outcome: string }> {
  return db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<
        Array<{ status: string; payload: Stripe.Event; account: string | null; workspaceId: string | null }>
      >`
        SELECT status, payload, account, "workspaceId" FROM "WebhookEvent" WHERE id = ${eventId} FOR UPDATE SKIP LOCKED`;
      const row = rows[0];
      if (!row || row.status === 'processed' || row.status === 'ignored')
        return { result: 'skipped' as const, outcome: 'already applied or in progress' };
      const event = row.payload;
      seen(event.type);
      // A workspace's own account's event never reaches the platform's handlers (the mirror).
      const { account, workspaceId } = row;
      const handler = handlerFor(event.type);
      const apply = account
        ? () => applyConnectedEvent(event, { tx, account, workspaceId })
        : handler
          ? () => handler(event, { tx, stripe: stripe(), eventAt: new Date(event.created * 1000) })
          : null;
      if (!apply) {
        await tx.$executeRaw`
          UPDATE "WebhookEvent" SET status = 'ignored', outcome = 'no handler for this type',
            "processedAt" = clock_timestamp() AT TIME ZONE 'UTC', attempts = attempts + 1
          WHERE id = ${eventId}`;
        return { result: 'ignored' as const, outcome: 'no handler for this type' };
      }
      const outcome = await apply();
      // Raw, without RETURNING: Prisma's update would send the whole row (the payload) back.
      await tx.$executeRaw`
        UPDATE "WebhookEvent" SET status = 'processed', outcome = ${outcome}, error = NULL,
          "processedAt" = clock_timestamp() AT TIME ZONE 'UTC', attempts = attempts + 1
        WHERE id = ${eventId}`;
      return { result: 'processed' as const, outcome };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

/**
 * Queue again every event the inbox holds as received or failed whose job is
 * gone (neither its own apply_event job nor a batch job listing it): a job
 * locked by a dead worker for longer than STALE_LOCK_MS (the same cron frees
 * those first, see lib/jobs/stale.ts), events recorded before the queue
 * existed, a job that used up its attempts, a batch job superseded while it
 * ran and then failed. An event whose job is waiting (a retry with backoff) is
 * left alone.
 */
export async function requeueStaleEvents(
  options: { olderThanMs?: number; staleLockMs?: number; limit?: number; maxAttempts?: number } = {},
): Promise<number> {
  const { olderThanMs = 60_000, staleLockMs = STALE_LOCK_MS, limit = 1000, maxAttempts = 25 } = options;
  const due = await db.$queryRaw<
    Array<{ id: string; type: string; connected: boolean; objectId: string | null }>
  >`
    SELECT w.id, w.type, w.account IS NOT NULL AS connected, w."objectId" FROM "WebhookEvent" w
    WHERE w.status IN ('received', 'failed') AND w.attempts < ${maxAttempts}
      AND w."receivedAt" <= ${new Date(Date.now() - olderThanMs).toISOString()}::timestamptz AT TIME ZONE 'UTC'
      AND NOT EXISTS (
        -- The private table: graphile-worker's jobs view leaves the payload out.
        SELECT 1 FROM graphile_worker._private_jobs j
        WHERE (j.key = w.id OR (j.task_id = (SELECT t.id FROM graphile_worker._private_tasks t
              WHERE t.identifier = ${APPLY_BATCH_TASK})
            AND j.payload::jsonb @> jsonb_build_array(jsonb_build_object('id', w.id))))
          AND (j.locked_at IS NULL OR j.locked_at > now() - ${staleLockMs} * interval '1 millisecond')
          AND j.attempts < j.max_attempts)
    ORDER BY w."stripeCreated", w."receivedAt" LIMIT ${limit}`;
  if (due.length === 0) return 0;
  await db.$queryRaw`
    SELECT count(graphile_worker.add_job('apply_event',
      json_build_object('id', e.id, 'type', e.type, 'connected', e.connected),
      queue_name := e.queue, job_key := e.id, max_attempts := 25))::int AS queued
    FROM unnest(${due.map((e) => e.id)}::text[], ${due.map((e) => e.type)}::text[],
      ${due.map((e) => e.connected)}::boolean[], ${due.map((e) => applyQueueFor(e.objectId, e.id))}::text[])
      AS e(id, type, connected, queue)`;
  return due.length;
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

/** One recorded event with its payload, for the back office. */
export async function recordedEvent(eventId: string) {
  return db.webhookEvent.findUnique({ where: { id: eventId } });
}
