import 'server-only';
import { Logger, run, runMigrations, type LogLevel, type Runner } from 'graphile-worker';
import { env } from '@/lib/env';
import { log } from '@/lib/log';
import { crontab, tasks } from './tasks';

// Where background work runs: a graphile-worker runner in this process (next
// start's instrumentation, `npm run worker`), or a bounded batch (the cron
// route, for serverless hosts). Any number of them share one database safely.

const logger = new Logger(() => (level: LogLevel, message: string) => {
  if (level === 'error') log.error('jobs.error', { message });
  else if (level === 'warning') log.warn('jobs.warning', { message });
});

export interface WorkerOptions {
  concurrency?: number;
  /** Run the schedule (reconcile, recovery, cleanup) too; default true. */
  schedule?: boolean;
  pollInterval?: number;
}

/** Start a worker; it migrates graphile-worker's schema first (bundled SQL, no network). */
export async function startWorker(options: WorkerOptions = {}): Promise<Runner> {
  const concurrency = options.concurrency ?? env().JOBS_CONCURRENCY;
  return run({
    connectionString: env().DATABASE_URL,
    // One connection per concurrent job, plus LISTEN and the scheduler.
    maxPoolSize: concurrency + 2,
    concurrency,
    noHandleSignals: true,
    pollInterval: options.pollInterval ?? 2000,
    // Completions within a tick share one statement (ADR 0018). No local queue (ADR 0038): a job
    // fetched ahead and returned unrun after an acknowledgement superseded it (an apply_events
    // job's key is then cleared and its attempts used up) would strand its events until the
    // sweep. Webhook events come many to a job, so one fetch per job is cheap.
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    logger,
    taskList: tasks,
    crontab: options.schedule === false ? '' : crontab(),
  });
}

/** Create or update the graphile_worker schema (the migrator and tests run this before the app). */
export async function migrateJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger });
}

/** Jobs that are due now and not running. */
export async function dueJobs(): Promise<number> {
  const { pool } = await import('@/lib/db-pool');
  const { rows } = await pool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM graphile_worker.jobs
     WHERE run_at <= now() AND locked_at IS NULL AND attempts < max_attempts`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * For hosts where nothing runs between requests (Vercel Cron): run a worker
 * until nothing is due or `budgetMs` is spent, then stop it gracefully (a
 * running job finishes; an unstarted one stays queued for the next batch).
 * Cron slots missed since the last batch are filled on start.
 */
export async function runBatch(budgetMs: number): Promise<{ seconds: number; due: number }> {
  const started = Date.now();
  const runner = await startWorker({ pollInterval: 250 });
  try {
    await new Promise((resolve) => setTimeout(resolve, 500)); // the scheduler fills missed slots
    while (Date.now() - started < budgetMs && (await dueJobs()) > 0)
      await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    await runner.stop();
  }
  return { seconds: (Date.now() - started) / 1000, due: await dueJobs() };
}
