// `npm run worker`: the job-queue worker as its own process (set
// JOBS_IN_PROCESS=off on the web instances then, or keep both: they share
// the work). Applies webhook events, sends emails, runs dunning downgrades and
// the schedule (reconcile, missed-event recovery, cleanup). Stops on SIGTERM
// or SIGINT after the running jobs finish.
import nextEnv from '@next/env';
import { projectRoot } from './lib/schema-engine';

nextEnv.loadEnvConfig(projectRoot);
// Imported after the env is loaded: lib/ reads it once, on first use.
const { env, EnvError } = await import('../lib/env');
try {
  env();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const { superviseWorker } = await import('../lib/jobs/supervisor');
const supervisor = superviseWorker();
console.log(
  JSON.stringify({
    level: 'info',
    msg: 'worker.started',
    concurrency: env().JOBS_CONCURRENCY,
    pid: process.pid,
  }),
);
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    void supervisor.stop().then(() => process.exit(0));
  });
// The supervisor restarts a failed or stalled runner; this process lives until a signal.
setInterval(() => {}, 1 << 30);
