import { createHash } from 'node:crypto';
import type Stripe from 'stripe';

/** What Stripe's test card does when charged. */
export type CardBehaviour =
  | { kind: 'succeed' }
  | { kind: 'decline'; code: string; decline_code: string; message: string; onAttach: boolean }
  | { kind: 'three_d_secure' };

export interface TestCard {
  brand: 'visa' | 'mastercard' | 'amex';
  behaviour: CardBehaviour;
}

const GENERIC = {
  code: 'card_declined',
  decline_code: 'generic_decline',
  message: 'Your card was declined.',
};

/** Stripe's documented test cards (https://docs.stripe.com/testing), by number. */
export const TEST_CARDS: Record<string, TestCard> = {
  '4242424242424242': { brand: 'visa', behaviour: { kind: 'succeed' } },
  '5555555555554444': { brand: 'mastercard', behaviour: { kind: 'succeed' } },
  '378282246310005': { brand: 'amex', behaviour: { kind: 'succeed' } },
  '4000000000000002': { brand: 'visa', behaviour: { kind: 'decline', ...GENERIC, onAttach: true } },
  '4000000000009995': {
    brand: 'visa',
    behaviour: {
      kind: 'decline',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      onAttach: true,
    },
  },
  '4000000000000069': {
    brand: 'visa',
    behaviour: {
      kind: 'decline',
      code: 'expired_card',
      decline_code: 'expired_card',
      message: 'Your card has expired.',
      onAttach: true,
    },
  },
  '4000002500003155': { brand: 'visa', behaviour: { kind: 'three_d_secure' } },
  '4000000000003220': { brand: 'visa', behaviour: { kind: 'three_d_secure' } },
  // Attaches to a customer fine; every charge on it is declined.
  '4000000000000341': { brand: 'visa', behaviour: { kind: 'decline', ...GENERIC, onAttach: false } },
  // Succeed, then misbehave later (see AFTER_CHARGE).
  '4000000000000259': { brand: 'visa', behaviour: { kind: 'succeed' } },
  '4000000000005126': { brand: 'visa', behaviour: { kind: 'succeed' } },
};

/**
 * Cards whose charge succeeds and then goes wrong, as Stripe documents:
 * 0259 is disputed as fraudulent at once; on 5126 a refund succeeds, then
 * fails asynchronously (refund.failed) and the money returns to the charge.
 */
export const AFTER_CHARGE: Record<string, 'dispute' | 'refund_fails'> = {
  '4000000000000259': 'dispute',
  '4000000000005126': 'refund_fails',
};

/** Stripe's test PaymentMethod tokens; using one creates a real `pm_...` for its card. */
export const TEST_TOKENS: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  pm_card_mastercard: '5555555555554444',
  pm_card_amex: '378282246310005',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_authenticationRequired: '4000002500003155',
  pm_card_threeDSecure2Required: '4000000000003220',
  pm_card_chargeCustomerFail: '4000000000000341',
  pm_card_createDispute: '4000000000000259',
  pm_card_refundFail: '4000000000005126',
};

export const NON_TEST_CARD = {
  code: 'card_declined',
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
  const brand = number.startsWith('5') ? 'mastercard' : number.startsWith('3') ? 'amex' : 'visa';
  return { brand, behaviour: { kind: 'decline', ...NON_TEST_CARD, onAttach: true } };
}

/** The `card` hash of a PaymentMethod. */
export function paymentMethodCard(
  number: string,
  expMonth: number,
  expYear: number,
): Stripe.PaymentMethod.Card {
  const { brand } = cardFor(number);
  return {
    brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
    country: 'US',
    display_brand: brand,
    exp_month: expMonth,
    exp_year: expYear,
    fingerprint: createHash('sha256').update(number).digest('base64url').slice(0, 16),
    funding: 'credit',
    generated_from: null,
    last4: number.slice(-4),
    networks: { available: [brand], preferred: null },
    regulated_status: 'unregulated',
    three_d_secure_usage: { supported: true },
    wallet: null,
  };
}

/** `charge.outcome` for an approved or declined card. */
export function outcome(decline: { decline_code: string } | null): Stripe.Charge.Outcome {
  if (!decline) {
    return {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      risk_score: 20,
      seller_message: 'Payment complete.',
      type: 'authorized',
    };
  }
  const generic = decline.decline_code === 'generic_decline';
  return {
    advice_code: generic ? 'try_again_later' : 'do_not_try_again',
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
