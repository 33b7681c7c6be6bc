import 'server-only';
import { cleanupRateLimits } from '@/lib/rate-limit';

// The nightly `cleanup` job: rows that only matter for a while. Each line is
// one kind of row; add new ones here (idempotency rows go below).

export async function cleanupOldRows(): Promise<Record<string, number>> {
  const rateLimitHits = await cleanupRateLimits();
  return { rateLimitHits };
}
