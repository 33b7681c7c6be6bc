import { timingSafeEqual } from 'node:crypto';
import { runBatch } from '@/lib/jobs/runner';
import { env } from '@/lib/env';
import { billingDisabledResponse, errorResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';
// A batch stops taking new jobs after BATCH_MS; the rest wait for the next call.
export const maxDuration = 60;
const BATCH_MS = 45_000;

function authorized(request: Request): boolean {
  const secret = env().CRON_SECRET;
  const given = request.headers.get('authorization') ?? '';
  const expected = `Bearer ${secret}`;
  return (
    Boolean(secret) &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}

// GET /api/cron/sweep: for schedulers (Vercel Cron) where no server runs between
// requests: runs the job queue for one bounded batch (see vercel.json).
export async function GET(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  if (!authorized(request)) return Response.json({ error: 'Unauthorized' }, { status: 401 });
  try {
    return Response.json(await runBatch(BATCH_MS));
  } catch (error) {
    return errorResponse(error);
  }
}
