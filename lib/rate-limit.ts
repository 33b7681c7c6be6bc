import 'server-only';
import { db } from '@/lib/db';

// Fixed-window limits counted in Postgres, so every app instance shares them.
export interface Limit {
  bucket: string;
  max: number;
  windowMs: number;
}

export const SIGN_IN_PER_ACCOUNT: Limit = { bucket: 'sign-in:account', max: 5, windowMs: 15 * 60_000 };
export const SIGN_IN_PER_IP: Limit = { bucket: 'sign-in:ip', max: 30, windowMs: 15 * 60_000 };
export const SIGN_UP_PER_IP: Limit = { bucket: 'sign-up:ip', max: 50, windowMs: 60 * 60_000 };

export async function isLimited(limit: Limit, key: string): Promise<boolean> {
  const since = new Date(Date.now() - limit.windowMs);
  const hits = await db.rateLimitHit.count({
    where: { bucket: limit.bucket, key, createdAt: { gte: since } },
  });
  return hits >= limit.max;
}

export async function recordHit(limit: Limit, key: string): Promise<void> {
  await db.rateLimitHit.create({ data: { bucket: limit.bucket, key } });
}

export async function clearHits(limit: Limit, key: string): Promise<void> {
  await db.rateLimitHit.deleteMany({ where: { bucket: limit.bucket, key } });
}
