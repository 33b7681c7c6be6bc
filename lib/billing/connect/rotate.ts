import 'server-only';
import { keyContext, webhookSecretContext } from '@/lib/billing/connections';
import { encryptionKeys, reencryptSecret } from '@/lib/crypto/secrets';
import { db } from '@/lib/db';

/**
 * Re-encrypt every stored Stripe secret made with a key other than the first of
 * TOLLGATE_ENCRYPTION_KEYS (`npm run keys:rotate`). Each row is updated only if its ciphertext is
 * still the one read, so a connection changed meanwhile is left as its writer made it (already
 * current). Safe to run twice: the second run finds nothing to do.
 */
export async function rotateStoredSecrets(): Promise<{
  checked: number;
  rotated: number;
  unreadable: number;
}> {
  const keys = encryptionKeys();
  let checked = 0;
  let rotated = 0;
  // Made with a key no longer listed (or altered): left as they are, and reported.
  let unreadable = 0;
  let after = '';
  for (;;) {
    const rows = await db.stripeConnection.findMany({
      where: { id: { gt: after } },
      orderBy: { id: 'asc' },
      take: 200,
      select: { id: true, workspaceId: true, restrictedKeyCipher: true, webhookSecretCipher: true },
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      checked += 1;
      let key: string | null = null;
      let secret: string | null = null;
      try {
        key =
          row.restrictedKeyCipher &&
          reencryptSecret(row.restrictedKeyCipher, keyContext(row.workspaceId), keys);
        secret =
          row.webhookSecretCipher &&
          reencryptSecret(row.webhookSecretCipher, webhookSecretContext(row.workspaceId), keys);
      } catch {
        unreadable += 1;
        continue;
      }
      if (!key && !secret) continue;
      const { count } = await db.stripeConnection.updateMany({
        where: {
          id: row.id,
          restrictedKeyCipher: row.restrictedKeyCipher,
          webhookSecretCipher: row.webhookSecretCipher,
        },
        data: {
          ...(key ? { restrictedKeyCipher: key } : {}),
          ...(secret ? { webhookSecretCipher: secret } : {}),
        },
      });
      rotated += count;
    }
    after = rows[rows.length - 1]!.id;
  }
  return { checked, rotated, unreadable };
}

/** How many stored secrets each key id protects (for the script's summary), counted in SQL. */
export async function secretsByKey(): Promise<Record<string, number>> {
  const rows = await db.$queryRaw<Array<{ key: string; count: number }>>`
    SELECT split_part(c, ':', 2) AS key, count(*)::int AS count FROM (
      SELECT "restrictedKeyCipher" AS c FROM "StripeConnection"
      UNION ALL SELECT "webhookSecretCipher" FROM "StripeConnection") s
    WHERE c IS NOT NULL GROUP BY 1 ORDER BY 1`;
  return Object.fromEntries(rows.map((r) => [r.key, r.count]));
}
