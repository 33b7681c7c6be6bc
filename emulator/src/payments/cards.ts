import { createHash } from 'node:crypto';
import type Stripe from 'stripe';

import { TEST_CARDS, type Brand, type Decline, type TestCard } from './test-cards';

export {
  AFTER_CHARGE,
  TEST_CARDS,
  TEST_TOKENS,
  type CardBehaviour,
  type Decline,
  type TestCard,
} from './test-cards';

export const NON_TEST_CARD: Decline = {
  code: 'card_declined',
  advice_code: null,
  decline_code: 'test_mode_live_card',
  message:
    'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
};

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

export function cardFor(number: string): TestCard {
  const known = TEST_CARDS[number];
  if (known) return known;
  const brand: Brand = number.startsWith('5') ? 'mastercard' : number.startsWith('3') ? 'amex' : 'visa';
  return {
    brand,
    funding: 'credit',
    country: 'US',
    behaviour: { kind: 'decline', ...NON_TEST_CARD, onAttach: true },
  };
}

/** The `card` hash of a PaymentMethod. */
export function paymentMethodCard(
  number: string,
  expMonth: number,
  expYear: number,
): Stripe.PaymentMethod.Card {
  const { brand, funding, country } = cardFor(number);
  return {
    brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
    country,
    display_brand: brand,
    exp_month: expMonth,
    exp_year: expYear,
    fingerprint: createHash('sha256').update(number).digest('base64url').slice(0, 16),
    funding,
    generated_from: null,
    last4: number.slice(-4),
    networks: { available: [brand], preferred: null },
    regulated_status: 'unregulated',
    three_d_secure_usage: { supported: true },
    wallet: null,
  };
}

/** `charge.outcome` for an approved, declined or Radar-blocked card. */
export function outcome(
  decline: Decline | null,
  risk: 'normal' | 'elevated' | 'highest' = 'normal',
): Stripe.Charge.Outcome {
  const score = { normal: 20, elevated: 65, highest: 85 }[risk];
  if (!decline) {
    return {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'approved_by_network',
      reason: risk === 'normal' ? null : `${risk}_risk_level`,
      risk_level: risk,
      risk_score: score,
      seller_message: 'Payment complete.',
      type: 'authorized',
    };
  }
  if (decline.blocked) {
    return {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'not_sent_to_network',
      reason: 'highest_risk_level',
      risk_level: 'highest',
      risk_score: 90,
      seller_message: 'Stripe blocked this payment as too risky.',
      type: 'blocked',
    };
  }
  const generic = decline.decline_code === 'generic_decline';
  return {
    advice_code: decline.advice_code,
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'declined_by_network',
    reason: decline.decline_code,
    risk_level: 'normal',
    risk_score: 40,
    seller_message: generic
      ? 'The bank did not return any further details with this decline.'
      : `The bank returned the decline code \`${decline.decline_code}\`.`,
    type: 'issuer_declined',
  };
}

/** Hard declines: Smart Retries does not retry them (https://docs.stripe.com/billing/revenue-recovery/smart-retries). */
export function isHardDecline(declineCode: string | null | undefined): boolean {
  return [
    'lost_card',
    'stolen_card',
    'fraudulent',
    'pickup_card',
    'incorrect_number',
    'test_mode_live_card',
  ].includes(declineCode ?? '');
}
