// `npm run keys:rotate`: re-encrypt workspaces' stored Stripe secrets (restricted keys, webhook
// signing secrets) with the first key of TOLLGATE_ENCRYPTION_KEYS. Rotation: put the new key
// first (keep the old one listed), deploy, run this, then remove the old key.
import nextEnv from '@next/env';
import { projectRoot } from './lib/schema-engine';

nextEnv.loadEnvConfig(projectRoot);
// Imported after the env is loaded: lib/ reads it once, on first use.
const { rotateStoredSecrets, secretsByKey } = await import('../lib/billing/connect/rotate');
const { encryptionKeys } = await import('../lib/crypto/secrets');
const { db } = await import('../lib/db');
try {
  const current = encryptionKeys()[0]!.id;
  console.log(`Re-encrypting stored Stripe secrets with key "${current}"…`);
  const { checked, rotated, unreadable } = await rotateStoredSecrets();
  console.log(`Done: ${rotated} of ${checked} connection(s) re-encrypted.`);
  if (unreadable > 0) {
    console.error(
      `${unreadable} connection(s) hold secrets no listed key decrypts: keep their old key in TOLLGATE_ENCRYPTION_KEYS, or have those workspaces connect again.`,
    );
    process.exitCode = 1;
  }
  console.log(`Secrets by key now: ${JSON.stringify(await secretsByKey())}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
