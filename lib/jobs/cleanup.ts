import 'server-only';
import { db } from '@/lib/db';

// The nightly `cleanup` job: rows that only matter for a while. Each line is
// one kind of row; add new ones here (idempotency rows from #11 go below).

/** Longest rate-limit window is an hour; a day of hits is plenty for an audit. */
const RATE_LIMIT_KEEP_MS = 86_400_000;

export async function cleanupOldRows(now = Date.now()): Promise<Record<string, number>> {
  const rateLimitHits = await db.rateLimitHit.deleteMany({
    where: { createdAt: { lt: new Date(now - RATE_LIMIT_KEEP_MS) } },
  });
  return { rateLimitHits: rateLimitHits.count };
}
