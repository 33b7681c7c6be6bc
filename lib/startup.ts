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

// Background sweeps (webhook events recorded but not applied, dunning
// downgrades, queued emails). Postgres row locks make concurrent instances safe.
const { SWEEP_INTERVAL_MS, STRIPE_SECRET_KEY } = env();
if (STRIPE_SECRET_KEY && SWEEP_INTERVAL_MS > 0 && process.env.NEXT_PHASE !== 'phase-production-build') {
  const timer = setInterval(() => {
    import('@/lib/billing/sweeper')
      .then(({ sweep }) => sweep())
      .catch((error: unknown) =>
        console.error(JSON.stringify({ level: 'error', msg: 'sweep.failed', error: String(error) })),
      );
  }, SWEEP_INTERVAL_MS);
  timer.unref();
} else if (SWEEP_INTERVAL_MS > 0 && process.env.NEXT_PHASE !== 'phase-production-build') {
  // Without billing there is still account mail to send and old rate-limit rows to delete.
  const timer = setInterval(() => {
    Promise.all([import('@/lib/email/outbox'), import('@/lib/rate-limit')])
      .then(([outbox, limits]) => Promise.all([outbox.deliverPendingEmails(100), limits.cleanupRateLimits()]))
      .catch((error: unknown) =>
        console.error(JSON.stringify({ level: 'error', msg: 'sweep.failed', error: String(error) })),
      );
  }, SWEEP_INTERVAL_MS);
  timer.unref();
}
