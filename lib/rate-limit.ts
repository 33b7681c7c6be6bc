import 'server-only';
import { db } from '@/lib/db';

// Attempt limits counted in Postgres, so every app instance shares them. A
// limit never locks: past `free` attempts in the window, each further attempt
// must wait a delay that doubles per attempt up to `maxDelayMs` after the last
// one. Checking and recording happen under one advisory lock per key, so a
// parallel burst is counted attempt by attempt (ADR 0009).
export interface Throttle {
  bucket: string;
  free: number;
  windowMs: number;
  maxDelayMs: number;
}

const MINUTE = 60_000;
export const SIGN_IN_PER_ACCOUNT_IP: Throttle = {
  bucket: 'sign-in:account-ip',
  free: 5,
  windowMs: 15 * MINUTE,
  maxDelayMs: 5 * MINUTE,
};
/** Higher, and skipped from addresses the owner signed in from: an attacker cannot shut the owner out. */
export const SIGN_IN_PER_ACCOUNT: Throttle = {
  bucket: 'sign-in:account',
  free: 50,
  windowMs: 15 * MINUTE,
  maxDelayMs: MINUTE,
};
/** Password spraying: many accounts from one address. */
export const SIGN_IN_PER_IP: Throttle = {
  bucket: 'sign-in:ip',
  free: 100,
  windowMs: 15 * MINUTE,
  maxDelayMs: 15 * MINUTE,
};
export const SIGN_UP_PER_IP: Throttle = {
  bucket: 'sign-up:ip',
  free: 20,
  windowMs: 60 * MINUTE,
  maxDelayMs: 60 * MINUTE,
};
export const EMAIL_LINK_PER_IP: Throttle = {
  bucket: 'email-link:ip',
  free: 10,
  windowMs: 60 * MINUTE,
  maxDelayMs: 60 * MINUTE,
};
export const EMAIL_LINK_PER_ACCOUNT: Throttle = {
  bucket: 'email-link:account',
  free: 3,
  windowMs: 60 * MINUTE,
  maxDelayMs: 60 * MINUTE,
};
/** Not a limit: addresses an account signed in from, which skip SIGN_IN_PER_ACCOUNT. */
export const KNOWN_ADDRESS = { bucket: 'sign-in:known', windowMs: 30 * 24 * 60 * MINUTE };

const ALL = [
  SIGN_IN_PER_ACCOUNT_IP,
  SIGN_IN_PER_ACCOUNT,
  SIGN_IN_PER_IP,
  SIGN_UP_PER_IP,
  EMAIL_LINK_PER_IP,
  EMAIL_LINK_PER_ACCOUNT,
  KNOWN_ADDRESS,
];

/** The wait owed after `attempts` recent attempts: none up to `free`, then 2 s, 4 s, 8 s… capped. */
export function delayAfter(throttle: Throttle, attempts: number): number {
  if (attempts < throttle.free) return 0;
  return Math.min(1000 * 2 ** Math.min(attempts - throttle.free + 1, 30), throttle.maxDelayMs);
}

export interface Check {
  throttle: Throttle;
  key: string;
}

export type Claim = { ok: true; hitIds: bigint[] } | { ok: false; retryAfterMs: number };

/** If no key is waiting out a delay, record one attempt against each, atomically. */
export async function claimAttempt(checks: readonly Check[]): Promise<Claim> {
  const ordered = [...checks].sort((a, b) =>
    `${a.throttle.bucket}\n${a.key}`.localeCompare(`${b.throttle.bucket}\n${b.key}`),
  );
  return db.$transaction(async (tx) => {
    for (const { throttle, key } of ordered) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${throttle.bucket}\n${key}`}, 0))`;
    }
    // Times come from this process's clock, as every row's createdAt does (no DB time-zone questions).
    const now = Date.now();
    let waitMs = 0;
    for (const { throttle, key } of ordered) {
      const recent = await tx.rateLimitHit.aggregate({
        where: { bucket: throttle.bucket, key, createdAt: { gte: new Date(now - throttle.windowMs) } },
        _count: { _all: true },
        _max: { createdAt: true },
      });
      const delay = delayAfter(throttle, recent._count._all);
      const last = recent._max.createdAt?.getTime();
      if (delay > 0 && last !== undefined) waitMs = Math.max(waitMs, last + delay - now);
    }
    if (waitMs > 0) return { ok: false, retryAfterMs: Math.ceil(waitMs) };
    const hitIds: bigint[] = [];
    for (const { throttle, key } of ordered) {
      const hit = await tx.rateLimitHit.create({
        data: { bucket: throttle.bucket, key, createdAt: new Date(now) },
        select: { id: true },
      });
      hitIds.push(hit.id);
    }
    return { ok: true, hitIds };
  });
}

/** Forget attempts that turned out fine (a right password), so they count against no one. */
export async function releaseAttempt(hitIds: readonly bigint[]): Promise<void> {
  if (hitIds.length) await db.rateLimitHit.deleteMany({ where: { id: { in: [...hitIds] } } });
}

export async function clearHits(throttle: { bucket: string }, key: string): Promise<void> {
  await db.rateLimitHit.deleteMany({ where: { bucket: throttle.bucket, key } });
}

export async function isKnownAddress(account: string, ip: string): Promise<boolean> {
  const since = new Date(Date.now() - KNOWN_ADDRESS.windowMs);
  const hit = await db.rateLimitHit.findFirst({
    where: { bucket: KNOWN_ADDRESS.bucket, key: `${account}|${ip}`, createdAt: { gte: since } },
    select: { id: true },
  });
  return hit !== null;
}

export async function rememberAddress(account: string, ip: string): Promise<void> {
  const key = `${account}|${ip}`;
  await db.$transaction([
    db.rateLimitHit.deleteMany({ where: { bucket: KNOWN_ADDRESS.bucket, key } }),
    db.rateLimitHit.create({ data: { bucket: KNOWN_ADDRESS.bucket, key, createdAt: new Date() } }),
  ]);
}

/**
 * Delete rows older than their bucket's window (and rows of buckets no longer
 * in use after a day). Safe to run on any number of instances; the job queue
 * (lib/jobs/cleanup.ts) calls it on a schedule. Returns rows deleted.
 */
export async function cleanupRateLimits(): Promise<number> {
  const now = Date.now();
  let deleted = 0;
  for (const limit of ALL) {
    const { count } = await db.rateLimitHit.deleteMany({
      where: { bucket: limit.bucket, createdAt: { lt: new Date(now - limit.windowMs) } },
    });
    deleted += count;
  }
  const { count } = await db.rateLimitHit.deleteMany({
    where: {
      bucket: { notIn: ALL.map((l) => l.bucket) },
      createdAt: { lt: new Date(now - 24 * 60 * MINUTE) },
    },
  });
  return deleted + count;
}
