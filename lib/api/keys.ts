import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { db } from '@/lib/db';

const PREFIX = 'tg_';

export const apiKeyNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the key a name.')
  .max(60, 'Use at most 60 characters.');

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Create a key; the full key is returned once and only its hash is stored. */
/** API keys are for accounts whose email address is confirmed. */
export class EmailNotVerifiedError extends Error {
  readonly publicMessage =
    'Confirm your email address first: use the link we emailed you (Settings → Security can send a new one).';
}

export async function createApiKey(userId: string, name: string): Promise<{ id: string; key: string }> {
  const owner = await db.user.findUnique({ where: { id: userId }, select: { emailVerified: true } });
  if (!owner?.emailVerified) throw new EmailNotVerifiedError('email not verified');
  const key = `${PREFIX}${randomBytes(24).toString('base64url')}`;
  const row = await db.apiKey.create({
    data: { userId, name, prefix: key.slice(0, 10), hash: hashKey(key) },
    select: { id: true },
  });
  return { id: row.id, key };
}

export async function revokeApiKey(userId: string, id: string): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({
    where: { id, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}

export async function listApiKeys(userId: string) {
  return db.apiKey.findMany({
    where: { userId },
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** The user behind a bearer key, or null for an unknown or revoked key. */
export async function userForApiKey(key: string) {
  if (!key.startsWith(PREFIX)) return null;
  const row = await db.apiKey.findUnique({
    where: { hash: hashKey(key) },
    select: {
      id: true,
      revokedAt: true,
      lastUsedAt: true,
      user: { select: { id: true, email: true, name: true, role: true } },
    },
  });
  if (!row || row.revokedAt) return null;
  // Record use at most once a minute, to keep the hot path free of writes.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return row.user;
}
