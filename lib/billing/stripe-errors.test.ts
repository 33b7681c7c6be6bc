import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { toBillingError } from './stripe';

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
});
