import { PLATFORM_ACCOUNT, type Store } from '../store';
import { ApiError, authenticationError } from '../wire/errors';
import { maskKey } from '../wire/http';

/** Who a request acts for. */
export interface Caller {
  /** The account whose objects the request sees and changes. */
  account: string;
  /** The platform acting through `Stripe-Account` (null when an account acts for itself). */
  platform: string | null;
}

/** The account a key belongs to: an issued key's account, else (any other test key) the platform. */
export function accountOfKey(store: Store, apiKey: string): string {
  const record = store.registry.api_key.get(apiKey);
  if (!record) return PLATFORM_ACCOUNT;
  if (record.revoked) {
    throw new ApiError(
      401,
      {
        type: 'invalid_request_error',
        code: 'api_key_expired',
        doc_url: 'https://docs.stripe.com/error-codes/api-key-expired',
        message: `Expired API Key provided: ${maskKey(apiKey)}`,
      },
      true,
      { 'WWW-Authenticate': 'Bearer realm="Stripe"' },
    );
  }
  // The account was deleted: its keys died with it.
  if (!store.registry.account.has(record.account))
    throw authenticationError(`Invalid API Key provided: ${maskKey(apiKey)}`);
  return record.account;
}

/** Stripe's answer to a `Stripe-Account` the key may not act for (unknown, foreign, disconnected). */
export function accountInvalid(apiKey: string, account: string): ApiError {
  return new ApiError(
    403,
    {
      type: 'invalid_request_error',
      code: 'account_invalid',
      doc_url: 'https://docs.stripe.com/error-codes/account-invalid',
      message: `The provided key '${maskKey(apiKey)}' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
    },
    true,
  );
}

/**
 * Resolves the key and the `Stripe-Account` header: a platform's key may act for the accounts it
 * connected (and not lost access to); any key may name its own account.
 */
export function resolveCaller(store: Store, apiKey: string, stripeAccount: string | undefined): Caller {
  const own = accountOfKey(store, apiKey);
  const target = stripeAccount?.trim();
  if (!target || target === own) return { account: own, platform: null };
  const meta = store.registry.account_meta.get(target);
  if (!meta || meta.platform !== own || meta.deauthorized || !store.registry.account.has(target))
    throw accountInvalid(apiKey, target);
  return { account: target, platform: own };
}
