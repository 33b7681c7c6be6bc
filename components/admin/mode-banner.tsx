import type { StripeMode } from '@/lib/billing/stripe';

/** Loud on every admin page whenever money is not real. A live key shows nothing. */
export function ModeBanner({ mode }: { mode: StripeMode | null }) {
  if (mode === 'test' || mode === 'emulator') {
    return (
      <div
        role="status"
        data-testid="test-mode-banner"
        className="bg-yellow-300 px-4 py-2 text-center text-sm font-bold uppercase tracking-wide text-yellow-950"
      >
        TEST MODE — {mode === 'emulator' ? 'local Stripe emulator' : 'Stripe test key'}: no real money moves
      </div>
    );
  }
  if (mode === 'unknown') {
    return (
      <div role="alert" className="bg-orange-200 px-4 py-2 text-center text-sm font-semibold text-orange-950">
        Warning: STRIPE_SECRET_KEY has an unrecognised shape; cannot tell test from live mode.
      </div>
    );
  }
  return null;
}
