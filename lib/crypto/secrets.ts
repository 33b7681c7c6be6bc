import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { env } from '@/lib/env';

// Secrets at rest (a workspace's restricted Stripe key, its webhook signing secret): AES-256-GCM
// with a random 96-bit nonce, the text `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url). The
// context (e.g. "stripe-key:<workspaceId>") is authenticated as associated data, so a
// ciphertext copied onto another workspace's row does not decrypt. See docs/decisions/0033-*.md.

const VERSION = 'v1';
// Development only: a fixed key so `npm run dev` works offline. Never used when NODE_ENV=production.
const DEV_KEY_ID = 'dev';
const DEV_KEY = createHash('sha256').update('tollgate-development-encryption-key').digest();

export class EncryptionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionKeyError';
  }
}

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** Parse `id:base64` pairs (validated in lib/env.ts). */
export function parseKeys(pairs: readonly string[]): EncryptionKey[] {
  return pairs.map((pair) => {
    const at = pair.indexOf(':');
    const id = pair.slice(0, at);
    const key = Buffer.from(
      pair
        .slice(at + 1)
        .replace(/-/g, '+')
        .replace(/_/g, '/'),
      'base64',
    );
    if (key.length !== 32)
      throw new EncryptionKeyError(`TOLLGATE_ENCRYPTION_KEYS key "${id}" is not 32 bytes`);
    return { id, key };
  });
}

/** The configured keys, the first one encrypting; the development key when none is set outside production. */
export function encryptionKeys(): EncryptionKey[] {
  const { TOLLGATE_ENCRYPTION_KEYS, NODE_ENV } = env();
  if (TOLLGATE_ENCRYPTION_KEYS?.length) return parseKeys(TOLLGATE_ENCRYPTION_KEYS);
  if (NODE_ENV === 'production')
    throw new EncryptionKeyError(
      'TOLLGATE_ENCRYPTION_KEYS is required in production to store Stripe keys: set it to k1:$(openssl rand -base64 32)',
    );
  return [{ id: DEV_KEY_ID, key: DEV_KEY }];
}

/** Encrypt with the first key, binding the ciphertext to its context. */
export function encryptSecret(
  plaintext: string,
  context: string,
  keys: EncryptionKey[] = encryptionKeys(),
): string {
  const current = keys[0];
  if (!current) throw new EncryptionKeyError('no encryption key configured');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    current.id,
    iv.toString('base64url'),
    tag.toString('base64url'),
    body.toString('base64url'),
  ].join(':');
}

/** The id of the key a ciphertext was made with. */
export function keyIdOf(ciphertext: string): string {
  const [version, keyId] = ciphertext.split(':');
  if (version !== VERSION || !keyId) throw new EncryptionKeyError('not an encrypted secret (unknown format)');
  return keyId;
}

/** Decrypt with whichever listed key made it; throws when the key is gone or the text or context was altered. */
export function decryptSecret(
  ciphertext: string,
  context: string,
  keys: EncryptionKey[] = encryptionKeys(),
): string {
  const parts = ciphertext.split(':');
  if (parts.length !== 5 || parts[0] !== VERSION)
    throw new EncryptionKeyError('not an encrypted secret (unknown format)');
  const [, keyId, iv, tag, body] = parts as [string, string, string, string, string];
  const key = keys.find((k) => k.id === keyId);
  if (!key)
    throw new EncryptionKeyError(
      `the secret was encrypted with key "${keyId}", which TOLLGATE_ENCRYPTION_KEYS no longer lists`,
    );
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new EncryptionKeyError('the secret does not decrypt (altered, or stored for another context)');
  }
}

/** Re-encrypt with the first key when another made it; null when it is already current. */
export function reencryptSecret(
  ciphertext: string,
  context: string,
  keys: EncryptionKey[] = encryptionKeys(),
): string | null {
  if (keyIdOf(ciphertext) === keys[0]?.id) return null;
  return encryptSecret(decryptSecret(ciphertext, context, keys), context, keys);
}
