import 'server-only';
import { pool } from '@/lib/db-pool';
import { APPLY_BATCH_TASK, APPLY_TASK } from '@/lib/jobs/enqueue';
import { log } from '@/lib/log';
import { applyHotBatch, HOT_TYPES, type HotResult } from './hot-path';
import { processEvent } from './process';

// The batch job's work (ADR 0038): apply the events recorded on one queue, in
// the order they were recorded. Runs of hot events (hot-path.ts) share one
// transaction, up to HOT_CHUNK at a time; the rest, and whatever the hot path
// hands back, go one by one through processEvent. If a shared transaction
// fails, its events are applied one by one instead, so one event's failure
// never holds back the others: it is recorded as failed on the event and gets
// its own apply_event job, retried with graphile-worker's backoff.

export interface BatchEntry {
  id: string;
  type?: string;
  connected?: boolean;
}

/** A batch takes no new entry after this long (a job's run time stays far below STALE_LOCK_MS). */
export const BATCH_BUDGET_MS = 60_000;
/** Hot events per shared transaction: bounds how long it holds its objects' locks. */
export const HOT_CHUNK = 50;
/** A failed event's first retry, in seconds; later ones follow graphile-worker's backoff. */
const RETRY_AFTER_SECONDS = 3;

// Jobs for a batch's failed events (one each, keyed by the event) and for the entries it had no
// time for (the queue's batch job, keyed by the queue), on the batch's queue.
const REQUEUE = `
  WITH q AS (SELECT queue_name FROM graphile_worker.jobs WHERE id = $3::bigint)
  SELECT count(*)::int AS queued FROM graphile_worker.add_jobs(
    ARRAY(
      SELECT ROW($1::text, json_build_object('id', f.id, 'type', f.type, 'connected', f.connected), (SELECT queue_name FROM q),
        now() + $4 * interval '1 second', 25::smallint, f.id, NULL::smallint, NULL::text[])::graphile_worker.job_spec
      FROM json_to_recordset($5::json) AS f(id text, type text, connected boolean)
      UNION ALL
      SELECT ROW($2::text, $6::json, q.queue_name, NULL::timestamptz, 25::smallint, q.queue_name, NULL::smallint,
        NULL::text[])::graphile_worker.job_spec
      FROM q WHERE json_array_length($6::json) > 0
    ))`;

export interface BatchResult {
  processed: number;
  failed: string[];
  /** Entries left for a new job (the time budget ran out). */
  deferred: number;
}

const mayBeHot = (entry: BatchEntry) =>
  !entry.connected && entry.type !== undefined && HOT_TYPES.has(entry.type);

/** A run of hot entries in one transaction: each one's result, or null for those it leaves to processEvent. */
async function hotChunk(chunk: BatchEntry[]): Promise<Map<string, HotResult | null>> {
  try {
    return await applyHotBatch(chunk.map((entry) => entry.id));
  } catch (error) {
    // Each on its own: processEvent retries what a retry settles and records what fails.
    log.warn('webhook.batch_fallback', { events: chunk.length, error: String(error) });
    return new Map();
  }
}

/** Apply a batch job's entries in order; `jobId` is the job (its queue takes the retries). */
export async function applyBatch(entries: BatchEntry[], jobId: string): Promise<BatchResult> {
  const started = Date.now();
  const failed: BatchEntry[] = [];
  let done = 0;
  while (done < entries.length && Date.now() - started < BATCH_BUDGET_MS) {
    const chunk: BatchEntry[] = [];
    while (
      done + chunk.length < entries.length &&
      chunk.length < HOT_CHUNK &&
      mayBeHot(entries[done + chunk.length]!)
    )
      chunk.push(entries[done + chunk.length]!);
    if (chunk.length === 0) chunk.push(entries[done]!);
    const hot =
      chunk.length > 1 || mayBeHot(chunk[0]!) ? await hotChunk(chunk) : new Map<string, HotResult | null>();
    for (const entry of chunk) {
      const result = hot.get(entry.id);
      if (result) {
        if (result.result !== 'skipped')
          log.info('webhook.applied', {
            event: entry.id,
            type: result.type,
            result: result.result,
            outcome: result.outcome,
            path: 'hot-batch',
          });
        continue;
      }
      const { id, ...hint } = entry;
      if ((await processEvent(id, hint)) === 'failed') failed.push(entry);
    }
    done += chunk.length;
  }
  const rest = entries.slice(done);
  // Throwing here (the database is away) retries the whole batch: applied events are skipped.
  if (failed.length > 0 || rest.length > 0)
    await pool().query(REQUEUE, [
      APPLY_TASK,
      APPLY_BATCH_TASK,
      jobId,
      RETRY_AFTER_SECONDS,
      JSON.stringify(failed),
      JSON.stringify(rest),
    ]);
  return { processed: done - failed.length, failed: failed.map((e) => e.id), deferred: rest.length };
}
