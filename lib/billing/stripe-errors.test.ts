import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_ACCESS_LOST, toBillingError } from './stripe';

describe('toBillingError', () => {
  it("maps Stripe's 409 for a key in use (an invalid_request_error) to 409, not 502", () => {
    const error = Stripe.errors.StripeError.generate({
      type: 'invalid_request_error',
      code: 'idempotency_key_in_use',
      message: 'There is currently another in-progress request using this Idempotent Key.',
      statusCode: 409,
    } as Stripe.StripeRawError);
    expect(toBillingError(error).status).toBe(409);
  });

  it('keeps other upstream failures at 502', () => {
    const error = Stripe.errors.StripeError.generate({
      type: 'api_error',
      message: 'boom',
      statusCode: 500,
    } as Stripe.StripeRawError);
    expect(toBillingError(error).status).toBe(502);
  });

  const raw = (fields: Record<string, unknown>) =>
    Stripe.errors.StripeError.generate(fields as unknown as Stripe.StripeRawError);

  it('a revoked workspace key or a deauthorized account: 502 with the reconnect message', () => {
    const revoked = raw({
      type: 'invalid_request_error',
      code: 'api_key_expired',
      message: 'Expired API Key provided: rk_test_***abcd',
      statusCode: 401,
    });
    const deauthorized = raw({
      type: 'invalid_request_error',
      code: 'account_invalid',
      message:
        "The provided key 'sk_test_***0000' does not have access to account 'acct_123' (or that account does not exist). Application access may have been revoked.",
      statusCode: 403,
    });
    for (const error of [revoked, deauthorized]) {
      const mapped = toBillingError(error);
      expect(mapped.status).toBe(502);
      expect(mapped.publicMessage).toBe(ACCOUNT_ACCESS_LOST);
      // The detail (for logs) keeps Stripe's words; the public message holds no key.
      expect(mapped.publicMessage).not.toMatch(/rk_|sk_/);
    }
  });

  it('any other authentication failure keeps the generic upstream message', () => {
    const mapped = toBillingError(
      raw({
        type: 'invalid_request_error',
        message: 'Invalid API Key provided: sk_test_***0000',
        statusCode: 401,
      }),
    );
    expect(mapped.status).toBe(502);
    expect(mapped.publicMessage).not.toBe(ACCOUNT_ACCESS_LOST);
  });
});
