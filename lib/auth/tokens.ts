import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '@/lib/billing/webhooks/types';
import { db } from '@/lib/db';

// Single-use, expiring tokens for email links. Only a SHA-256 of the token is
// stored (in Auth.js's VerificationToken table), so a database reader cannot
// use a pending link; redeeming deletes the row in the same statement.
export type TokenPurpose = 'verify' | 'reset';

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  verify: 24 * 60 * 60_000,
  reset: 60 * 60_000,
};

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new token for this user and purpose; earlier unused ones of the same purpose stop working. */
export async function issueToken(tx: Tx, purpose: TokenPurpose, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const identifier = `${purpose}:${userId}`;
  await tx.verificationToken.deleteMany({ where: { identifier } });
  await tx.verificationToken.create({
    data: { identifier, token: hashOf(token), expires: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]) },
  });
  return token;
}

export type Redeemed = { ok: true; userId: string } | { ok: false; reason: 'invalid' | 'expired' };

/** Use a token up: at most one caller ever gets ok for a given token. */
export async function redeemToken(
  tx: Tx | typeof db,
  purpose: TokenPurpose,
  token: string,
): Promise<Redeemed> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: 'invalid' };
  const rows = await tx.$queryRaw<Array<{ identifier: string; expires: Date }>>`
    DELETE FROM "VerificationToken"
    WHERE token = ${hashOf(token)} AND identifier LIKE ${`${purpose}:%`}
    RETURNING identifier, expires`;
  const row = rows[0];
  if (!row) return { ok: false, reason: 'invalid' };
  if (row.expires.getTime() < Date.now()) return { ok: false, reason: 'expired' };
  return { ok: true, userId: row.identifier.slice(purpose.length + 1) };
}
