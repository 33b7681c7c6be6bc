import 'server-only';
import { db } from '@/lib/db';
import { cleanupRateLimits } from '@/lib/rate-limit';

// The nightly `cleanup` job: rows that only matter for a while. Each line is
// one kind of row; add new ones here.

/** Stripe forgets an idempotency key after 24 hours; so do we. */
const IDEMPOTENCY_KEEP_MS = 24 * 3_600_000;

export async function cleanupOldRows(now = Date.now()): Promise<Record<string, number>> {
  const rateLimitHits = await cleanupRateLimits();
  const idempotencyKeys = (
    await db.idempotencyKey.deleteMany({ where: { createdAt: { lt: new Date(now - IDEMPOTENCY_KEEP_MS) } } })
  ).count;
  return { rateLimitHits, idempotencyKeys };
}
