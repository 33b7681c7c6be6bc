// Node.js server start-up: validate the environment, so a missing or
// malformed variable stops the server with a message naming it.
import { env, EnvError } from '@/lib/env';

try {
  env();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// Sample data exists only to explore before a key is configured: the first
// start with a live key removes it.
if (/^(sk|rk)_live_/.test(env().STRIPE_SECRET_KEY ?? '') && !env().STRIPE_API_URL) {
  import('@/lib/admin/sample-data')
    .then(({ removeSampleData }) => removeSampleData(null))
    .catch((error: unknown) =>
      console.error(
        JSON.stringify({ level: 'error', msg: 'sample_data.cleanup_failed', error: String(error) }),
      ),
    );
}

// Background work: a job-queue worker in this process (JOBS_IN_PROCESS=on, the
// default). PostgreSQL hands each job to one worker, so instances share the work.
if (env().JOBS_IN_PROCESS === 'on' && process.env.NEXT_PHASE !== 'phase-production-build') {
  import('@/lib/jobs/supervisor')
    .then(({ superviseWorker }) => superviseWorker())
    .catch((error: unknown) =>
      console.error(JSON.stringify({ level: 'error', msg: 'jobs.start_failed', error: String(error) })),
    );
}
