import { timingSafeEqual } from 'node:crypto';
import { sweep } from '@/lib/billing/sweeper';
import { env } from '@/lib/env';
import { billingDisabledResponse, errorResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

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

// GET /api/cron/sweep: for schedulers (Vercel Cron) where no server runs between requests.
export async function GET(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  if (!authorized(request)) return Response.json({ error: 'Unauthorized' }, { status: 401 });
  try {
    return Response.json(await sweep());
  } catch (error) {
    return errorResponse(error);
  }
}
