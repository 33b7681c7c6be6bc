import 'server-only';
import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import { BillingError } from '@/lib/billing/errors';
import { env } from '@/lib/env';
import { stripeModeFor, type StripeMode } from '@/lib/billing/mode';

// The one place that builds a Stripe client. It returns an SDK instance (never
// a global api key): the platform's by default, or one bound to a workspace's own
// account (stripeFor in lib/billing/connections.ts: the platform key with
// Stripe-Account for Connect, or the workspace's restricted key).

export interface StripeAccount {
  secretKey: string;
  apiUrl?: string;
  /** A connected account (acct_…) every request acts on, sent as the Stripe-Account header. */
  stripeAccount?: string;
}

const clients = new Map<string, Stripe>();
// Workspace clients are cached too; a bound keeps the map small with many workspaces.
const MAX_CLIENTS = 500;

export function defaultAccount(): StripeAccount {
  const { STRIPE_SECRET_KEY, STRIPE_API_URL } = env();
  if (!STRIPE_SECRET_KEY) throw new BillingError(404, 'Not found', 'billing is not configured');
  return { secretKey: STRIPE_SECRET_KEY, apiUrl: STRIPE_API_URL };
}

/** A client for the account (the app's own by default), honouring STRIPE_API_URL (the local emulator). */
export function stripe(account: StripeAccount = defaultAccount()): Stripe {
  // Hashed, so no key sits in the map's keys.
  const cacheKey = createHash('sha256')
    .update(`${account.secretKey}@${account.apiUrl ?? 'stripe'}#${account.stripeAccount ?? ''}`)
    .digest('base64url');
  let client = clients.get(cacheKey);
  if (!client) {
    const options: Stripe.StripeConfig = {
      maxNetworkRetries: 2,
      timeout: 20_000,
      appInfo: { name: 'Tollgate' },
    };
    if (account.stripeAccount) options.stripeAccount = account.stripeAccount;
    if (account.apiUrl) {
      const url = new URL(account.apiUrl);
      options.protocol = url.protocol === 'https:' ? 'https' : 'http';
      options.host = url.hostname;
      options.port = Number(url.port || (options.protocol === 'https' ? 443 : 80));
    }
    client = new Stripe(account.secretKey, options);
    if (clients.size >= MAX_CLIENTS) clients.clear();
    clients.set(cacheKey, client);
  }
  return client;
}

// Kept so imports of BillingError from here keep working; it lives in errors.ts.
export { BillingError };

export const ACCOUNT_ACCESS_LOST =
  'Your Stripe account is disconnected or its key was revoked. Reconnect it in Settings → Stripe.';

/**
 * A workspace's account we can no longer act on: its restricted key expired or was revoked (401
 * api_key_expired / invalid key), or the platform lost access to the connected account (403
 * account_invalid: deauthorized). The platform's own calls send no Stripe-Account; only a
 * platform configured with an rk_ key that expires would also get this message.
 */
export function accountAccessLost(error: unknown): error is Stripe.errors.StripeError {
  if (!(error instanceof Stripe.errors.StripeError)) return false;
  if (error.code === 'api_key_expired' || error.code === 'account_invalid') return true;
  if (error instanceof Stripe.errors.StripePermissionError)
    return /does not have access to account|application access may have been revoked/i.test(error.message);
  if (error instanceof Stripe.errors.StripeAuthenticationError)
    return /\brk_(test|live)_/.test(error.message);
  return false;
}

/** Maps the SDK's errors for callers: a card problem is the customer's to fix; anything upstream is a 502 with a safe message. */
export function toBillingError(error: unknown): BillingError {
  if (error instanceof BillingError) return error;
  if (error instanceof Stripe.errors.StripeCardError) return new BillingError(402, error.message, error.code);
  // Stripe answers a concurrent duplicate with 409 (type invalid_request_error, code idempotency_key_in_use).
  if (
    error instanceof Stripe.errors.StripeIdempotencyError ||
    (error instanceof Stripe.errors.StripeError && error.statusCode === 409)
  )
    return new BillingError(
      409,
      'This request is already being processed. Refresh in a moment.',
      error.message,
    );
  if (accountAccessLost(error))
    return new BillingError(
      502,
      ACCOUNT_ACCESS_LOST,
      `${error.type}: ${error.message} (${error.requestId ?? 'no request id'})`,
    );
  if (error instanceof Stripe.errors.StripeError) {
    return new BillingError(
      502,
      'The payment provider could not complete the request. Please try again.',
      `${error.type}: ${error.message} (${error.requestId ?? 'no request id'})`,
    );
  }
  return new BillingError(
    500,
    'Something went wrong.',
    error instanceof Error ? error.message : String(error),
  );
}

/** Runs a Stripe call and converts any failure with toBillingError. */
export async function callStripe<T>(fn: (client: Stripe) => Promise<T>, account?: StripeAccount): Promise<T> {
  try {
    return await fn(stripe(account));
  } catch (error) {
    throw toBillingError(error);
  }
}

/**
 * Two requests that send Stripe the same idempotency key at once: Stripe
 * answers the second with a 409 while the first is in flight. Wait for the
 * first to finish; the replay then returns the same object.
 */
export async function retryWhileInFlight<T>(call: () => Promise<T>, attempts = 20): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof BillingError && error.status === 409) || i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * i));
    }
  }
}

export type { StripeMode } from '@/lib/billing/mode';

/** For the TEST MODE banner. */
export function stripeMode(): StripeMode | null {
  const { STRIPE_SECRET_KEY, STRIPE_API_URL } = env();
  return stripeModeFor(STRIPE_SECRET_KEY, STRIPE_API_URL);
}

export { idOf } from '@/lib/billing/ids';

// The resolver for a workspace's own account (issue 17): callers never know which way it connected.
export { stripeFor } from '@/lib/billing/connections';
