export type StripeMode = 'test' | 'live' | 'emulator' | 'unknown';

/** What kind of money a configuration moves: shown loudly in the back office unless live. */
export function stripeModeFor(secretKey: string | undefined, apiUrl: string | undefined): StripeMode | null {
  if (!secretKey) return null;
  if (apiUrl) return 'emulator';
  if (/^(sk|rk)_test_/.test(secretKey)) return 'test';
  if (/^(sk|rk)_live_/.test(secretKey)) return 'live';
  return 'unknown';
}
