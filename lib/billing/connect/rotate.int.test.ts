import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { stripeFor, webhookSecretContext, keyContext } from '@/lib/billing/connections';
import { decryptSecret, encryptSecret, parseKeys } from '@/lib/crypto/secrets';
import { db } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { createUser } from '@/lib/testing/fixtures';
import { rotateStoredSecrets, secretsByKey } from './rotate';

const pair = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

function useKeys(value: string | undefined) {
  if (value === undefined) delete process.env.TOLLGATE_ENCRYPTION_KEYS;
  else process.env.TOLLGATE_ENCRYPTION_KEYS = value;
  resetEnvCache();
}

describe('npm run keys:rotate', () => {
  afterEach(() => useKeys(undefined));

  it('re-encrypts every secret with the first key; the old key can then go', async () => {
    const old = pair('old');
    const next = pair('new');
    useKeys(old);
    const { workspaceId } = await createUser();
    const key = `rk_test_${randomBytes(8).toString('hex')}`;
    const secret = `whsec_${randomBytes(8).toString('hex')}`;
    await db.stripeConnection.create({
      data: {
        workspaceId,
        accountId: `acct_${randomBytes(8).toString('hex')}`,
        via: 'key',
        status: 'connected',
        restrictedKeyCipher: encryptSecret(key, keyContext(workspaceId)),
        webhookSecretCipher: encryptSecret(secret, webhookSecretContext(workspaceId)),
      },
    });

    useKeys(`${next},${old}`);
    const first = await rotateStoredSecrets();
    expect(first.rotated).toBeGreaterThanOrEqual(1);
    const row = await db.stripeConnection.findUniqueOrThrow({ where: { workspaceId } });
    expect(row.restrictedKeyCipher).toMatch(/^v1:new:/);
    expect(row.webhookSecretCipher).toMatch(/^v1:new:/);
    expect((await secretsByKey()).old ?? 0).toBe(0);

    // Nothing left to do on a second run; and with the old key removed, everything still decrypts.
    expect((await rotateStoredSecrets()).rotated).toBe(0);
    useKeys(next);
    const keys = parseKeys([next]);
    expect(decryptSecret(row.restrictedKeyCipher!, keyContext(workspaceId), keys)).toBe(key);
    expect(decryptSecret(row.webhookSecretCipher!, webhookSecretContext(workspaceId), keys)).toBe(secret);
    expect((await stripeFor(workspaceId)).account.via).toBe('key');
  });

  it('a secret whose key is no longer listed is counted, not lost, and the run goes on', async () => {
    useKeys(pair('gone'));
    const { workspaceId } = await createUser();
    await db.stripeConnection.create({
      data: {
        workspaceId,
        accountId: `acct_${randomBytes(8).toString('hex')}`,
        via: 'key',
        status: 'connected',
        restrictedKeyCipher: encryptSecret('rk_test_lostkey123', keyContext(workspaceId)),
      },
    });
    useKeys(pair('fresh'));
    const result = await rotateStoredSecrets();
    expect(result.unreadable).toBeGreaterThanOrEqual(1);
    const row = await db.stripeConnection.findUniqueOrThrow({ where: { workspaceId } });
    expect(row.restrictedKeyCipher).toMatch(/^v1:gone:/);
  });
});
