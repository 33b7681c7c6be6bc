import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { harnessPerTest, stripeError } from './helpers';

const h = harnessPerTest();

const charge = (payment_method: string, extra: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
  h.stripe.paymentIntents.create({
    amount: 2000,
    currency: 'usd',
    payment_method,
    confirm: true,
    allowed_payment_method_types: ['card'],
    ...extra,
  });

// https://docs.stripe.com/testing#declined-payments and https://docs.stripe.com/declines/codes
const DECLINES: Array<[string, Record<string, string | undefined>]> = [
  ['pm_card_visa_chargeDeclined', { code: 'card_declined', decline_code: 'generic_decline' }],
  [
    'pm_card_visa_chargeDeclinedInsufficientFunds',
    { code: 'card_declined', decline_code: 'insufficient_funds', advice_code: 'try_again_later' },
  ],
  [
    'pm_card_visa_chargeDeclinedLostCard',
    { code: 'card_declined', decline_code: 'lost_card', advice_code: 'do_not_try_again' },
  ],
  [
    'pm_card_visa_chargeDeclinedStolenCard',
    { code: 'card_declined', decline_code: 'stolen_card', advice_code: 'do_not_try_again' },
  ],
  [
    'pm_card_chargeDeclinedExpiredCard',
    { code: 'expired_card', decline_code: 'expired_card', param: 'exp_month' },
  ],
  [
    'pm_card_chargeDeclinedIncorrectCvc',
    { code: 'incorrect_cvc', decline_code: 'incorrect_cvc', param: 'cvc', advice_code: 'confirm_card_data' },
  ],
  ['pm_card_chargeDeclinedProcessingError', { code: 'processing_error', decline_code: 'processing_error' }],
  [
    'pm_card_visa_chargeDeclinedVelocityLimitExceeded',
    { code: 'card_declined', decline_code: 'card_velocity_exceeded' },
  ],
  ['pm_card_radarBlock', { code: 'card_declined', decline_code: 'fraudulent' }],
];

describe('test cards (https://docs.stripe.com/testing)', () => {
  it('declines each documented decline token with its code, decline_code, advice_code and param', async () => {
    for (const [token, expected] of DECLINES) {
      const error = await stripeError(charge(token));
      expect(error.type, token).toBe('StripeCardError');
      expect(error.statusCode, token).toBe(402);
      expect(error, token).toMatchObject(
        Object.fromEntries(Object.entries(expected).filter(([, value]) => value !== undefined)),
      );
      const failed = error.payment_intent;
      expect(failed?.status, token).toBe('requires_payment_method');
      expect(failed?.last_payment_error?.decline_code, token).toBe(expected.decline_code);
    }
  });

  it('marks a Radar block as blocked in charge.outcome (https://docs.stripe.com/testing#fraud-prevention)', async () => {
    const error = await stripeError(charge('pm_card_radarBlock'));
    const blocked = await h.stripe.charges.retrieve(String(error.charge));
    expect(blocked.outcome).toMatchObject({ type: 'blocked', risk_level: 'highest' });
    const elevated = await charge('pm_card_riskLevelElevated');
    const approved = await h.stripe.charges.retrieve(String(elevated.latest_charge));
    expect(approved.outcome).toMatchObject({ type: 'authorized', risk_level: 'elevated' });
  });

  it('gives debit, prepaid and international cards their funding and country (https://docs.stripe.com/testing#international-cards)', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['pm_card_visa_debit', 'visa', 'debit', 'US'],
      ['pm_card_mastercard_prepaid', 'mastercard', 'prepaid', 'US'],
      ['pm_card_discover', 'discover', 'credit', 'US'],
      ['pm_card_br', 'visa', 'credit', 'BR'],
      ['pm_card_gb', 'visa', 'credit', 'GB'],
      ['pm_card_jp', 'visa', 'credit', 'JP'],
    ];
    for (const [token, brand, funding, country] of cases) {
      const pi = await charge(token);
      expect(pi.status, token).toBe('succeeded');
      const pm = await h.stripe.paymentMethods.retrieve(String(pi.payment_method));
      expect(pm.card, token).toMatchObject({ brand, funding, country });
    }
  });
});

describe('3-D Secure (https://docs.stripe.com/testing#regulatory-cards)', () => {
  it('3155 needs authentication on-session, then passes off-session once saved to the customer', async () => {
    const customer = await h.stripe.customers.create();
    const first = await charge('pm_card_authenticationRequiredOnSetup', {
      customer: customer.id,
      setup_future_usage: 'off_session',
      return_url: 'https://app.example/back',
      allowed_payment_method_types: undefined,
    });
    expect(first.status).toBe('requires_action');
    await h.post(`/_emulator/payment_intents/${first.id}/3ds`, { outcome: 'complete' });
    const saved = String((await h.stripe.paymentIntents.retrieve(first.id)).payment_method);
    expect((await h.stripe.paymentMethods.retrieve(saved)).customer).toBe(customer.id);
    const renewal = await charge(saved, { customer: customer.id, off_session: true });
    expect(renewal.status).toBe('succeeded');
  });

  it('3184 needs authentication on every payment, also off-session on a saved card', async () => {
    const customer = await h.stripe.customers.create();
    const pm = await h.stripe.paymentMethods.attach('pm_card_authenticationRequired', {
      customer: customer.id,
    });
    const error = await stripeError(charge(pm.id, { customer: customer.id, off_session: true }));
    expect(error).toMatchObject({ code: 'authentication_required', decline_code: 'authentication_required' });
    const onSession = await charge(pm.id, { customer: customer.id });
    expect(onSession.status).toBe('requires_action');
  });

  it('answers next_action use_stripe_sdk without a return_url, redirect_to_url with one (https://docs.stripe.com/payments/3d-secure)', async () => {
    const sdk = await charge('pm_card_authenticationRequired');
    expect(sdk.next_action?.type).toBe('use_stripe_sdk');
    const redirect = await charge('pm_card_authenticationRequired', {
      return_url: 'https://app.example/back',
    });
    expect(redirect.next_action?.type).toBe('redirect_to_url');
  });

  it('fails instead of asking for authentication with error_on_requires_action (https://docs.stripe.com/api/payment_intents/create#create_payment_intent-error_on_requires_action)', async () => {
    const error = await stripeError(
      charge('pm_card_authenticationRequired', { error_on_requires_action: true }),
    );
    expect(error).toMatchObject({ type: 'StripeCardError', code: 'authentication_required' });
  });

  it('refuses to confirm automatic_payment_methods without a return_url (https://docs.stripe.com/payments/payment-intents/automatic-payment-methods)', async () => {
    const error = await stripeError(charge('pm_card_visa', { allowed_payment_method_types: undefined }));
    expect(error).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, param: 'return_url' });
    const never = await charge('pm_card_visa', {
      allowed_payment_method_types: undefined,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    expect(never.status).toBe('succeeded');
  });
});
