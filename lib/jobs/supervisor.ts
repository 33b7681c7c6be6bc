import 'server-only';
import type { Runner } from 'graphile-worker';
import { log } from '@/lib/log';
import { startWorker, type WorkerOptions } from './runner';
import { reviveSupersededBatches } from './stale';

// A PostgreSQL restart with jobs in flight can leave graphile-worker's runner
// alive but fetching nothing, or end it with an error, and the jobs it had
// fetched stay locked by it (graphile-worker frees them after 4 hours): the
// storm test saw every event after a restart left unapplied. The supervisor
// replaces the runner when its connection comes back after a loss, when it
// fails or its pool hits a fatal error, and when jobs have been due for a
// while and none has finished; the
// old runner's locks are freed at once (ADR 0018: a job cut off mid-run runs
// again, and every task is idempotent).

/** No job finished for this long while one has been due this long: the runner is stalled. */
export const STALL_MS = 60_000;

export interface Supervisor {
  stop(): Promise<void>;
  /** Restarts so far (for logs and tests). */
  restarts(): number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function overdueJobs(olderThanMs: number): Promise<number> {
  const { pool } = await import('@/lib/db-pool');
  const { rows } = await pool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM graphile_worker.jobs
     WHERE run_at <= now() - $1 * interval '1 millisecond' AND locked_at IS NULL AND attempts < max_attempts`,
    [olderThanMs],
  );
  return rows[0]?.n ?? 0;
}

/** Free the jobs and queues a replaced runner still holds, retrying while the database is away. */
async function unlockPool(poolId: string): Promise<void> {
  const { pool } = await import('@/lib/db-pool');
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await pool().query('SELECT graphile_worker.force_unlock_workers($1::text[])', [[poolId]]);
      await reviveSupersededBatches();
      return;
    } catch {
      await sleep(2_000);
    }
  }
}

export function superviseWorker(options: WorkerOptions = {}, stallMs = STALL_MS): Supervisor {
  let runner: Runner | null = null;
  let stopped = false;
  let busy = false;
  let restarts = 0;
  let lastProgress = Date.now();
  let poolId: string | null = null; // the current runner's worker pool: its jobs are locked by this id

  async function launch(): Promise<void> {
    while (!stopped) {
      try {
        const started = await startWorker(options);
        runner = started;
        lastProgress = Date.now();
        let lost = false;
        poolId = null;
        started.events.on('pool:create', ({ workerPool }) => (poolId = workerPool.id));
        started.events.on('job:complete', () => (lastProgress = Date.now()));
        started.events.on('pool:listen:error', ({ workerPool }) => {
          poolId = workerPool.id;
          lost = true;
        });
        started.events.on('pool:listen:success', ({ workerPool }) => {
          poolId = workerPool.id;
          if (!lost) return;
          log.warn('jobs.connection_restored', { pool: poolId });
          void restart(started, poolId);
        });
        // A failed batch of completions shuts graphile-worker's pool down (0.18 does not retry it:
        // ADR 0039); replace the runner now, not after the stall check's minute.
        started.events.on('pool:fatalError', ({ error, action }) => {
          log.error('jobs.runner_fatal', { action, error: String(error) });
          void restart(started, poolId);
        });
        started.promise.catch((error: unknown) => {
          log.error('jobs.runner_failed', { error: String(error) });
          void restart(started, poolId);
        });
        return;
      } catch (error) {
        log.error('jobs.start_failed', { error: String(error) });
        await sleep(5_000);
      }
    }
  }

  async function restart(old: Runner, oldPoolId: string | null = null): Promise<void> {
    if (busy || stopped || runner !== old) return;
    busy = true;
    runner = null;
    restarts++;
    // A stalled runner may never finish stopping; its connections are dropped with it.
    await Promise.race([old.stop().catch(() => {}), sleep(10_000)]);
    if (oldPoolId) await unlockPool(oldPoolId);
    await launch();
    busy = false;
  }

  const timer = setInterval(
    () => {
      const current = runner;
      if (!current || busy || Date.now() - lastProgress < stallMs) return;
      void overdueJobs(stallMs)
        .then((due) => {
          if (due === 0) lastProgress = Date.now();
          else {
            log.warn('jobs.runner_stalled', { due });
            return restart(current, poolId);
          }
        })
        .catch(() => {}); // the database is away: check again later
    },
    Math.max(1_000, stallMs / 4),
  );
  timer.unref();

  const ready = launch();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await ready;
      await runner?.stop();
    },
    restarts: () => restarts,
  };
}
