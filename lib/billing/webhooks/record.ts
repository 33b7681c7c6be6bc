import 'server-only';
import type Stripe from 'stripe';
import { pool } from '@/lib/db-pool';
import { APPLY_BATCH_TASK, applyQueueFor } from '@/lib/jobs/enqueue';

// Recording verified events before acknowledging them (ADR 0038). Requests
// that arrive while WRITERS recording statements are in flight wait for the
// next one and share it (group commit): one statement and one commit insert their inbox
// rows and append their ids to one batch job per queue (graphile-worker's
// batch jobs: an array payload under the queue's job_key grows while the job
// waits; a job already running gets a new one behind it). Each request is
// answered only once its row is committed, so nothing acknowledged is lost.

/** Whose event it is: the platform's (both null), or a workspace's own Stripe account. */
export interface EventOwner {
  account: string | null;
  workspaceId: string | null;
}

export interface Recorded {
  /** A new inbox row, queued for applying. */
  queued: boolean;
  /** An existing row's status (a redelivery), else null. */
  status: string | null;
}

interface Pending {
  row: unknown[];
  id: string;
  resolve: (recorded: Recorded) => void;
  reject: (error: unknown) => void;
}

/** At most this many events per statement. */
const MAX_BATCH = 100;

const RECORD_MANY = `
  WITH input AS MATERIALIZED (
    SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::bigint[], $6::text[],
      $7::text[], $8::text[], $9::text[], $10::text[])
      WITH ORDINALITY AS t(id, type, livemode, api_version, created, object_id, payload, queue, account, workspace_id, n)
  ), existing AS (
    SELECT id, status::text AS status FROM "WebhookEvent" WHERE id = ANY($1::text[])
  ), ins AS (
    INSERT INTO "WebhookEvent" (id, type, livemode, "apiVersion", "stripeCreated", "objectId", payload, account, "workspaceId", "receivedAt")
    SELECT id, type, livemode, api_version, to_timestamp(created) AT TIME ZONE 'UTC', object_id, payload::jsonb,
      account, workspace_id, now() AT TIME ZONE 'UTC'
    FROM input ORDER BY n
    ON CONFLICT (id) DO NOTHING RETURNING id
  ), queue_locks AS MATERIALIZED (
    -- Statements that share queues take them in one order, so they queue instead of deadlocking.
    SELECT count(pg_advisory_xact_lock(hashtextextended('apply-queue:' || q.queue, 0))) AS n
    FROM (SELECT DISTINCT i.queue FROM input i JOIN ins ON ins.id = i.id ORDER BY i.queue) AS q
  ), specs AS (
    SELECT array_agg(ROW($11::text, b.payload, b.queue, NULL::timestamptz, 25::smallint, b.queue, NULL::smallint,
      NULL::text[])::graphile_worker.job_spec ORDER BY b.queue) AS specs
    FROM (
      SELECT i.queue, json_agg(json_build_object('id', i.id, 'type', i.type, 'connected', i.account IS NOT NULL)
        ORDER BY i.n) AS payload
      FROM input i JOIN ins ON ins.id = i.id GROUP BY i.queue
    ) b, queue_locks
  ), jobs AS (
    SELECT j.key FROM specs, graphile_worker.add_jobs(specs.specs) j WHERE specs.specs IS NOT NULL
  )
  SELECT (SELECT coalesce(array_agg(id), '{}') FROM ins) AS inserted,
    (SELECT coalesce(json_object_agg(id, status), '{}') FROM existing) AS existing,
    (SELECT coalesce(array_agg(key), '{}') FROM jobs) AS queued`;

// add_jobs can drop a spec: when a worker takes the queue's waiting job between add_jobs clearing
// the keys of running jobs and its insert, the insert's ON CONFLICT finds the job now running and
// neither appends to it nor inserts. Asked again, add_jobs clears that key and inserts a new job.
const QUEUE_AGAIN = `
  SELECT coalesce(array_agg(j.key), '{}') AS queued FROM graphile_worker.add_jobs(ARRAY(
    SELECT ROW($1::text, b.payload, b.queue, NULL::timestamptz, 25::smallint, b.queue, NULL::smallint,
      NULL::text[])::graphile_worker.job_spec
    FROM json_to_recordset($2::json) AS b(queue text, payload json) ORDER BY b.queue
  )) j`;

function columns(batch: Pending[]): unknown[][] {
  const out: unknown[][] = Array.from({ length: 10 }, () => []);
  for (const { row } of batch) for (let c = 0; c < 10; c += 1) out[c]!.push(row[c]);
  return out;
}

/** Deadlocks with a concurrent statement on the same batch jobs are settled by trying again. */
function retryable(error: unknown): boolean {
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  return code === '40P01' || code === '40001';
}

async function write(batch: Pending[]): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      // Named: each pooled connection parses and plans it once.
      const { rows } = await pool().query<{
        inserted: string[];
        existing: Record<string, string>;
        queued: string[];
      }>({ name: 'record-many', text: RECORD_MANY, values: [...columns(batch), APPLY_BATCH_TASK] });
      const inserted = new Set(rows[0]?.inserted ?? []);
      const existing = rows[0]?.existing ?? {};
      await queueDropped(
        batch.filter((p) => inserted.has(p.id)),
        new Set(rows[0]?.queued ?? []),
      );
      for (const p of batch) p.resolve({ queued: inserted.has(p.id), status: existing[p.id] ?? null });
      return;
    } catch (error) {
      if (attempt < 6 && retryable(error)) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        continue;
      }
      throw error;
    }
  }
}

/**
 * Queue again the events whose queue's spec add_jobs dropped. The rows are
 * already committed: if this fails (or the process dies first), the sweep
 * (requeue_events) queues them once they are a minute old.
 */
async function queueDropped(recorded: Pending[], queued: Set<string>): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const byQueue = new Map<string, Array<{ id: string; type: unknown; connected: boolean }>>();
    for (const p of recorded) {
      const queue = p.row[7] as string;
      if (queued.has(queue)) continue;
      const entries = byQueue.get(queue) ?? [];
      entries.push({ id: p.id, type: p.row[1], connected: p.row[8] !== null });
      byQueue.set(queue, entries);
    }
    if (byQueue.size === 0) return;
    const specs = [...byQueue].map(([queue, payload]) => ({ queue, payload }));
    const { rows } = await pool()
      .query<{ queued: string[] }>(QUEUE_AGAIN, [APPLY_BATCH_TASK, JSON.stringify(specs)])
      .catch(() => ({ rows: [] as Array<{ queued: string[] }> }));
    for (const key of rows[0]?.queued ?? []) queued.add(key);
  }
}

/**
 * Statements in flight per process. One (ADR 0039): requests that arrive while it runs share the
 * next, so statements carry several events each. Three let a lock wait in one spare the others, but
 * with 16 queues concurrent statements mostly wait on the same queue locks anyway, and the smaller
 * statements cost more per event (one instance's burst: 301–321 applied/s with three, 354–367 with one).
 */
const WRITERS = 1;
let waiting: Pending[] = [];
let writers = 0;

async function flush(): Promise<void> {
  writers += 1;
  try {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(MAX_BATCH);
      try {
        await write(batch);
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        // One event PostgreSQL refuses must not fail the others: each on its own.
        else await Promise.all(batch.map((p) => write([p]).catch((e: unknown) => p.reject(e))));
      }
    }
  } finally {
    writers -= 1;
  }
}

/** Record a verified event in the inbox and queue it; what an existing row's status is, if any. */
export function recordEvent(
  event: Stripe.Event,
  body: string,
  owner: EventOwner = { account: event.account ?? null, workspaceId: null },
): Promise<Recorded> {
  const object = event.data?.object as { id?: unknown } | undefined;
  const objectId = typeof object?.id === 'string' ? object.id : null;
  const row = [
    event.id,
    event.type,
    Boolean(event.livemode),
    event.api_version ?? null,
    event.created,
    objectId,
    body,
    applyQueueFor(objectId, event.id),
    owner.account,
    owner.workspaceId,
  ];
  return new Promise<Recorded>((resolve, reject) => {
    // The same event twice in one batch (a concurrent redelivery): one row, the same answer.
    const twin = waiting.find((p) => p.id === event.id);
    if (twin) {
      const { resolve: first, reject: firstReject } = twin;
      twin.resolve = (r) => (first(r), resolve(r));
      twin.reject = (e) => (firstReject(e), reject(e));
      return;
    }
    waiting.push({ row, id: event.id, resolve, reject });
    if (writers < WRITERS) void flush();
  });
}
