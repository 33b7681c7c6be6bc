import 'server-only';
import { db } from '@/lib/db';

// A worker that dies (SIGKILL, OOM, a lost container) leaves its jobs locked,
// and graphile-worker frees them only after 4 hours. Worse, a named queue
// (`apply:N`) stays locked with them: every event of 1/64 of all objects would
// wait those 4 hours. So `requeue_events` frees the locks of short tasks held
// far longer than such a task can run.

/**
 * Longer than any of SHORT_TASKS can run: apply_event is bounded by its
 * transaction timeouts (4 tries of at most 10 s waiting + 30 s running),
 * apply_events takes no new entry after BATCH_BUDGET_MS (60 s) plus one such event,
 * send_email by SEND_TIMEOUT_MS, dunning_downgrade by two small transactions.
 */
export const STALE_LOCK_MS = 5 * 60_000;

/** Tasks whose run time is bounded, so a long-held lock means a dead worker. Crons are not. */
const SHORT_TASKS = ['apply_events', 'apply_event', 'send_email', 'dunning_downgrade'];

/**
 * Free every lock (jobs and queues) of the workers that hold a short task's
 * job for longer than `staleLockMs`: such a worker is dead. Its jobs run again
 * (their attempt is already counted). Also free named queues locked for that
 * long with no locked job in them: a connection cut mid-statement by a
 * PostgreSQL restart can leave such a queue lock behind (the storm test found
 * two). Returns how many workers and stranded queues were unlocked.
 */
export async function unlockDeadWorkers(staleLockMs = STALE_LOCK_MS): Promise<number> {
  const rows = await db.$queryRaw<Array<{ workers: number }>>`
    WITH dead AS (
      SELECT DISTINCT locked_by FROM graphile_worker.jobs
      WHERE locked_by IS NOT NULL AND task_identifier = ANY(${SHORT_TASKS}::text[])
        AND locked_at < now() - ${staleLockMs} * interval '1 millisecond'
    ), unlocked AS (
      SELECT graphile_worker.force_unlock_workers(array_agg(locked_by)) FROM dead HAVING count(*) > 0
    )
    SELECT (SELECT count(*)::int FROM dead) AS workers, (SELECT count(*) FROM unlocked) AS done`;
  const stranded = await db.$executeRaw`
    UPDATE graphile_worker._private_job_queues AS q SET locked_at = NULL, locked_by = NULL
    WHERE q.locked_at < now() - ${staleLockMs} * interval '1 millisecond'
      AND NOT EXISTS (
        SELECT 1 FROM graphile_worker._private_jobs AS j WHERE j.job_queue_id = q.id AND j.locked_at IS NOT NULL
      )`;
  await reviveSupersededBatches();
  return (rows[0]?.workers ?? 0) + stranded;
}

/**
 * Make superseded batch jobs runnable again (ADR 0038). When an acknowledgement
 * appends to a queue whose apply_events job is running, graphile-worker clears
 * that job's key and uses up its attempts, so it is deleted when it completes;
 * but unlocked without completing (its worker died or lost the database and
 * was force-unlocked), it would be left dead with its events listed in it. Its
 * events are idempotent to apply again, and its queue runs it before the newer
 * job (lower id), so per-object order holds. Returns how many were revived.
 */
export async function reviveSupersededBatches(): Promise<number> {
  return db.$executeRaw`
    UPDATE graphile_worker._private_jobs AS j SET attempts = 0, last_error = NULL, updated_at = now()
    WHERE j.locked_at IS NULL AND j.key IS NULL AND j.attempts >= j.max_attempts
      AND j.task_id = (SELECT t.id FROM graphile_worker._private_tasks t WHERE t.identifier = 'apply_events')`;
}
