// Test helpers for the job queue: real graphile-worker runners on the test
// database, and waiting for what they do.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
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

/**
 * `npm run worker` as one real OS process, so SIGKILL kills the worker itself.
 * (Spawning tsx's CLI would kill only its launcher: the worker it forks lives
 * on as an orphan, keeps running jobs on the test database, and finishes the
 * "killed" worker's job for it.) Every process started here is killed when
 * the test process exits.
 */
export function spawnWorkerProcess(env: Record<string, string> = {}): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=react-server', path.join('scripts', 'worker.ts')],
    {
      env: { ...process.env, JOBS_CONCURRENCY: '2', LOG_LEVEL: 'silent', ...env },
      stdio: 'ignore',
    },
  );
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  return child;
}

const spawned = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of spawned) child.kill('SIGKILL');
});

/** SIGKILL a worker process (no shutdown code runs) and wait until it is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
