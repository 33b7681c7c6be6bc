import { describe, expect, it } from 'vitest';
import { stripeModeFor } from '@/lib/billing/mode';

describe('the Stripe mode behind the TEST MODE banner', () => {
  it.each([
    [undefined, undefined, null],
    ['sk_test_abc123', undefined, 'test'],
    ['rk_test_abc123', undefined, 'test'],
    ['sk_live_abc123', undefined, 'live'],
    ['sk_live_abc123', 'http://127.0.0.1:12111', 'emulator'],
    ['sk_test_abc123', 'http://127.0.0.1:12111', 'emulator'],
    ['sk_prod_abc123', undefined, 'unknown'],
  ])('key %s with STRIPE_API_URL %s is %s', (key, apiUrl, mode) => {
    expect(stripeModeFor(key, apiUrl)).toBe(mode);
  });
});
