import { withApi } from '@/lib/api/handler';
import { databaseReachable } from '@/lib/db';

export const dynamic = 'force-dynamic';

// Liveness plus a database round trip, for load balancers and docker-compose (billing or not).
export const GET = withApi({ auth: 'public', billing: false }, async () =>
  (await databaseReachable())
    ? Response.json({ ok: true })
    : Response.json({ ok: false, error: 'database unavailable' }, { status: 503 }),
);
