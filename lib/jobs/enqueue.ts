import 'server-only';
import type { Tx } from '@/lib/billing/webhooks/types';

// Adding jobs to the one PostgreSQL job queue (graphile-worker). A job added
// inside a transaction exists only if that transaction commits, so "write the
// state and schedule the follow-up" is atomic.

/**
 * The task applying a batch of recorded events of one queue (ADR 0038): its
 * payload is an array of `{ id, type, connected }`, its job_key the queue's
 * name, so events recorded while it waits are appended to it.
 */
export const APPLY_BATCH_TASK = 'apply_events';
/** The task applying one event: a retry of a batch's failed event, a requeued one. */
export const APPLY_TASK = 'apply_event';

/** Webhook events go to one of this many ordered queues, chosen by their object's id. */
export const APPLY_QUEUES = 16;

/**
 * The queue for an event about `objectId`: every event of one Stripe object
 * lands in the same queue (graphile-worker runs a queue's jobs one at a time,
 * in order), while different objects spread over APPLY_QUEUES queues that run
 * concurrently. A bounded set of queue names keeps the queue table small.
 */
export function applyQueueFor(objectId: string | null | undefined, eventId: string): string {
  const key = objectId || eventId;
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `apply:${(hash >>> 0) % APPLY_QUEUES}`;
}

export interface JobOptions {
  queue?: string;
  runAt?: Date;
  /** One pending job per key: adding it again replaces the waiting one. */
  jobKey?: string;
  maxAttempts?: number;
}

/** Schedule a job inside the caller's transaction. */
export async function addJob(
  tx: Tx,
  task: string,
  payload: Record<string, unknown>,
  options: JobOptions = {},
): Promise<void> {
  await tx.$queryRaw`SELECT graphile_worker.add_job(
    ${task}, ${JSON.stringify(payload)}::json,
    queue_name := ${options.queue ?? null}::text,
    run_at := ${options.runAt?.toISOString() ?? null}::timestamptz,
    max_attempts := ${options.maxAttempts ?? null}::int,
    job_key := ${options.jobKey ?? null}::text
  ) IS NOT NULL AS added`;
}
