import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random base62 string; rejection sampling keeps the characters uniform. */
export function randomString(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/**
 * Stripe-shaped ids: `cus_` + 14 characters for customers and products, `cs_test_a1` + 56 for
 * Checkout Sessions, and `prefix_` + 24 for everything else.
 */
export function newId(prefix: string): string {
  if (prefix === 'cs') return `cs_test_a1${randomString(56)}`;
  const short = prefix === 'cus' || prefix === 'prod' || prefix === 'req';
  return `${prefix}_${randomString(short ? 14 : 24)}`;
}
