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

/** Make a key for a workspace; it acts there with its maker's role (the caller checks the right to make it). */
export async function createApiKey(
  { workspaceId, userId }: { workspaceId: string; userId: string },
  name: string,
): Promise<{ id: string; key: string }> {
  const owner = await db.user.findUnique({ where: { id: userId }, select: { emailVerified: true } });
  if (!owner?.emailVerified) throw new EmailNotVerifiedError('email not verified');
  const key = `${PREFIX}${randomBytes(24).toString('base64url')}`;
  const row = await db.apiKey.create({
    data: { workspaceId, userId, name, prefix: key.slice(0, 10), hash: hashKey(key) },
    select: { id: true },
  });
  return { id: row.id, key };
}

/**
 * Revoke one of the workspace's keys: one's own, or any with the 'members' right. Another
 * workspace's key id changes nothing.
 */
export async function revokeApiKey(
  { workspaceId, userId, anyKey }: { workspaceId: string; userId: string; anyKey: boolean },
  id: string,
): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({
    where: { id, workspaceId, revokedAt: null, ...(anyKey ? {} : { userId }) },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}

export async function listApiKeys(workspaceId: string) {
  return db.apiKey.findMany({
    where: { workspaceId },
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** The user behind a bearer key and the workspace it acts for, or null for an unknown or revoked key. */
export async function userForApiKey(key: string) {
  if (!key.startsWith(PREFIX)) return null;
  const row = await db.apiKey.findUnique({
    where: { hash: hashKey(key) },
    select: {
      id: true,
      revokedAt: true,
      lastUsedAt: true,
      workspaceId: true,
      user: { select: { id: true, email: true, name: true, role: true } },
    },
  });
  if (!row || row.revokedAt) return null;
  // Record use at most once a minute, to keep the hot path free of writes.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { user: row.user, workspaceId: row.workspaceId };
}
