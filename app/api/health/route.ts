import { db } from '@/lib/db';

export const dynamic = 'force-dynamic';

// Liveness plus a database round trip, for load balancers and docker-compose.
export async function GET() {
  try {
    await db.$queryRaw`SELECT 1`;
    return Response.json({ ok: true });
  } catch {
    return Response.json({ ok: false, error: 'database unavailable' }, { status: 503 });
  }
}
