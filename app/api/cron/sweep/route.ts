import { withApi } from '@/lib/api/handler';
import { runBatch } from '@/lib/jobs/runner';

export const dynamic = 'force-dynamic';
// A batch stops taking new jobs after BATCH_MS; the rest wait for the next call.
export const maxDuration = 60;
const BATCH_MS = 45_000;

// GET /api/cron/sweep: for schedulers (Vercel Cron) where no server runs between
// requests: runs the job queue for one bounded batch (see vercel.json).
export const GET = withApi({ auth: 'cron' }, async () => Response.json(await runBatch(BATCH_MS)));
