import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, parseKeys, reencryptSecret, type EncryptionKey } from './secrets';

const key = (id: string): EncryptionKey => ({ id, key: randomBytes(32) });

describe('secrets at rest', () => {
  const k1 = key('k1');
  const k2 = key('k2');

  it('round-trips any text, and the ciphertext never contains it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 200 }), fc.string(), (plain, context) => {
        const cipher = encryptSecret(plain, context, [k1]);
        expect(cipher.includes(plain)).toBe(false);
        expect(cipher.startsWith('v1:k1:')).toBe(true);
        expect(decryptSecret(cipher, context, [k1])).toBe(plain);
      }),
    );
  });

  it('encrypts the same text differently every time (random nonce)', () => {
    expect(encryptSecret('rk_test_abc', 'c', [k1])).not.toBe(encryptSecret('rk_test_abc', 'c', [k1]));
  });

  it('refuses another context, an altered byte, and a key that is no longer listed', () => {
    const cipher = encryptSecret('rk_test_secret', 'stripe-key:A', [k1]);
    expect(() => decryptSecret(cipher, 'stripe-key:B', [k1])).toThrow(/does not decrypt/);
    // Flip one bit of the nonce, the tag or the ciphertext.
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.nat(), fc.nat({ max: 7 }), (part, at, bit) => {
        const parts = cipher.split(':');
        const bytes = Buffer.from(parts[part]!, 'base64url');
        bytes[at % bytes.length]! ^= 1 << bit;
        parts[part] = bytes.toString('base64url');
        expect(() => decryptSecret(parts.join(':'), 'stripe-key:A', [k1])).toThrow();
      }),
    );
    expect(() => decryptSecret(cipher, 'stripe-key:A', [k2])).toThrow(/no longer lists/);
  });

  it('rotation: decrypts with any listed key, re-encrypts with the first', () => {
    const old = encryptSecret('whsec_abc', 'ctx', [k1]);
    const rotated = reencryptSecret(old, 'ctx', [k2, k1]);
    expect(rotated).not.toBeNull();
    expect(rotated!.startsWith('v1:k2:')).toBe(true);
    expect(decryptSecret(rotated!, 'ctx', [k2])).toBe('whsec_abc');
    expect(reencryptSecret(rotated!, 'ctx', [k2, k1])).toBeNull();
  });

  it('parses id:base64 keys and refuses a short one', () => {
    const b64 = randomBytes(32).toString('base64');
    expect(parseKeys([`a:${b64}`])[0]!.key.length).toBe(32);
    expect(() => parseKeys([`a:${randomBytes(16).toString('base64')}`])).toThrow(/32 bytes/);
  });
});
