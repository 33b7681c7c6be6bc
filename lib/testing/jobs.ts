// Test helpers for the job queue: real graphile-worker runners on the test
// database, and waiting for what they do.
import { db } from '@/lib/db';
import { startWorker } from '@/lib/jobs/runner';

export async function startTestWorker(concurrency = 4) {
  return startWorker({ concurrency, schedule: false, pollInterval: 100 });
}

/** Poll until `check` returns a truthy value (or fail after `ms`). */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  ms = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Wait until none of these inbox events is left unapplied. */
export async function waitApplied(eventIds: string[], ms = 60_000): Promise<void> {
  await waitFor(
    async () =>
      (await db.webhookEvent.count({
        where: { id: { in: eventIds }, status: { notIn: ['processed', 'ignored'] } },
      })) === 0,
    ms,
    'events to be applied',
  );
}

/** The graphile-worker job with this key, if it is still queued. */
export async function jobByKey(key: string) {
  const rows = await db.$queryRaw<
    Array<{ id: bigint; run_at: Date; locked_at: Date | null; attempts: number; queue_name: string | null }>
  >`SELECT id, run_at, locked_at, attempts, queue_name FROM graphile_worker.jobs WHERE key = ${key}`;
  return rows[0] ?? null;
}

/**
 * Empty the shared job queue. Integration files share one database, so jobs an
 * earlier file left queued (emails nobody sent, apply_event jobs, retries with
 * backoff) would otherwise be run by this file's workers, ahead of or instead
 * of its own. Call it before starting a worker; no worker may be running.
 */
export async function clearJobQueue(): Promise<void> {
  await db.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
  await db.$executeRaw`UPDATE graphile_worker._private_job_queues SET locked_at = NULL, locked_by = NULL`;
}
