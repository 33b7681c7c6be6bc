// Stripe's documented test cards and PaymentMethod tokens (https://docs.stripe.com/testing).
// Data only: what each card is and what it does when saved or charged.

export type Funding = 'credit' | 'debit' | 'prepaid';
export type Brand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay';

/** A decline as the card network reports it (https://docs.stripe.com/declines/codes). */
export interface Decline {
  code: string;
  decline_code: string;
  message: string;
  /** https://docs.stripe.com/declines/card#retrying-issuer-declines */
  advice_code: 'try_again_later' | 'do_not_try_again' | 'confirm_card_data' | null;
  param?: string;
  /** Radar blocked it (charge.outcome.type `blocked`) rather than the issuer. */
  blocked?: boolean;
}

/** What the card does when charged. */
export type CardBehaviour =
  | { kind: 'succeed'; risk_level?: 'elevated' | 'highest' }
  | ({ kind: 'decline'; onAttach: boolean } & Decline)
  /**
   * 3-D Secure. `unless_set_up` (…3155): every on-session payment, but off-session payments on a
   * card saved to a customer go through; `always` (…3184, …3220, …3063): every payment.
   */
  | { kind: 'three_d_secure'; when: 'unless_set_up' | 'always' };

export interface TestCard {
  brand: Brand;
  funding: Funding;
  country: string;
  behaviour: CardBehaviour;
}

const ok: CardBehaviour = { kind: 'succeed' };
const card = (brand: Brand, behaviour: CardBehaviour = ok, funding: Funding = 'credit', country = 'US') => ({
  brand,
  funding,
  country,
  behaviour,
});
const declined = (decline: Decline, onAttach = true): CardBehaviour => ({
  kind: 'decline',
  onAttach,
  ...decline,
});

export const GENERIC: Decline = {
  code: 'card_declined',
  decline_code: 'generic_decline',
  message: 'Your card was declined.',
  advice_code: 'try_again_later',
};
const FRAUD: Decline = {
  code: 'card_declined',
  decline_code: 'fraudulent',
  message: 'Your card was declined.',
  advice_code: 'do_not_try_again',
  blocked: true,
};

export const TEST_CARDS: Record<string, TestCard> = {
  // Brands (https://docs.stripe.com/testing#cards)
  '4242424242424242': card('visa'),
  '4000056655665556': card('visa', ok, 'debit'),
  '5555555555554444': card('mastercard'),
  '2223003122003222': card('mastercard'),
  '5200828282828210': card('mastercard', ok, 'debit'),
  '5105105105105100': card('mastercard', ok, 'prepaid'),
  '378282246310005': card('amex'),
  '371449635398431': card('amex'),
  '6011111111111117': card('discover'),
  '6011000990139424': card('discover'),
  '6011981111111113': card('discover', ok, 'debit'),
  '3056930009020004': card('diners'),
  '36227206271667': card('diners'),
  '3566002020360505': card('jcb'),
  '6200000000000005': card('unionpay'),
  // International (https://docs.stripe.com/testing#international-cards)
  '4000000760000002': card('visa', ok, 'credit', 'BR'),
  '4000001240000000': card('visa', ok, 'credit', 'CA'),
  '4000004840008001': card('visa', ok, 'credit', 'MX'),
  '4000000400000008': card('visa', ok, 'credit', 'AT'),
  '4000000560000004': card('visa', ok, 'credit', 'BE'),
  '4000002500000003': card('visa', ok, 'credit', 'FR'),
  '4000002760000016': card('visa', ok, 'credit', 'DE'),
  '4000003800000008': card('visa', ok, 'credit', 'IT'),
  '4000007240000007': card('visa', ok, 'credit', 'ES'),
  '4000008260000000': card('visa', ok, 'credit', 'GB'),
  '4000058260000005': card('visa', ok, 'debit', 'GB'),
  '4000000360000006': card('visa', ok, 'credit', 'AU'),
  '4000003920000003': card('visa', ok, 'credit', 'JP'),
  '4000007020000003': card('visa', ok, 'credit', 'SG'),
  // Declines (https://docs.stripe.com/testing#declined-payments)
  '4000000000000002': card('visa', declined(GENERIC)),
  '4000000000009995': card(
    'visa',
    declined({
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      advice_code: 'try_again_later',
    }),
  ),
  '4000000000009987': card(
    'visa',
    declined({
      code: 'card_declined',
      decline_code: 'lost_card',
      message: 'Your card was declined.',
      advice_code: 'do_not_try_again',
    }),
  ),
  '4000000000009979': card(
    'visa',
    declined({
      code: 'card_declined',
      decline_code: 'stolen_card',
      message: 'Your card was declined.',
      advice_code: 'do_not_try_again',
    }),
  ),
  '4000000000000069': card(
    'visa',
    declined({
      code: 'expired_card',
      decline_code: 'expired_card',
      message: 'Your card has expired.',
      advice_code: 'do_not_try_again',
      param: 'exp_month',
    }),
  ),
  '4000000000000127': card(
    'visa',
    declined({
      code: 'incorrect_cvc',
      decline_code: 'incorrect_cvc',
      message: "Your card's security code is incorrect.",
      advice_code: 'confirm_card_data',
      param: 'cvc',
    }),
  ),
  '4000000000000119': card(
    'visa',
    declined({
      code: 'processing_error',
      decline_code: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
      advice_code: 'try_again_later',
    }),
  ),
  '4000000000006975': card(
    'visa',
    declined({
      code: 'card_declined',
      decline_code: 'card_velocity_exceeded',
      message: 'Your card was declined.',
      advice_code: 'try_again_later',
    }),
  ),
  // Attaches to a customer fine; every charge on it is declined.
  '4000000000000341': card('visa', declined(GENERIC, false)),
  // Radar (https://docs.stripe.com/testing#fraud-prevention)
  '4100000000000019': card('visa', declined(FRAUD)),
  '4000000000004954': card('visa', declined(FRAUD)),
  '4000000000009235': card('visa', { kind: 'succeed', risk_level: 'elevated' }),
  // 3-D Secure (https://docs.stripe.com/testing#regulatory-cards, #three-ds-cards)
  '4000002500003155': card('visa', { kind: 'three_d_secure', when: 'unless_set_up' }),
  '4000002760003184': card('visa', { kind: 'three_d_secure', when: 'always' }),
  '4000000000003220': card('visa', { kind: 'three_d_secure', when: 'always' }),
  '4000000000003063': card('visa', { kind: 'three_d_secure', when: 'always' }),
  '4000000000003055': card('visa'),
  // Succeed, then misbehave later (see AFTER_CHARGE).
  '4000000000000259': card('visa'),
  '4000000000005126': card('visa'),
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
  pm_card_visa_debit: '4000056655665556',
  pm_card_mastercard: '5555555555554444',
  pm_card_mastercard_debit: '5200828282828210',
  pm_card_mastercard_prepaid: '5105105105105100',
  pm_card_amex: '378282246310005',
  pm_card_discover: '6011111111111117',
  pm_card_diners: '3056930009020004',
  pm_card_jcb: '3566002020360505',
  pm_card_unionpay: '6200000000000005',
  pm_card_br: '4000000760000002',
  pm_card_ca: '4000001240000000',
  pm_card_mx: '4000004840008001',
  pm_card_at: '4000000400000008',
  pm_card_be: '4000000560000004',
  pm_card_fr: '4000002500000003',
  pm_card_de: '4000002760000016',
  pm_card_it: '4000003800000008',
  pm_card_es: '4000007240000007',
  pm_card_gb: '4000008260000000',
  pm_card_au: '4000000360000006',
  pm_card_jp: '4000003920000003',
  pm_card_sg: '4000007020000003',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_visa_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedLostCard: '4000000000009987',
  pm_card_visa_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_visa_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_visa_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_visa_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_visa_chargeDeclinedVelocityLimitExceeded: '4000000000006975',
  pm_card_chargeCustomerFail: '4000000000000341',
  pm_card_radarBlock: '4100000000000019',
  pm_card_chargeDeclinedFraudulent: '4100000000000019',
  pm_card_riskLevelHighest: '4000000000004954',
  pm_card_riskLevelElevated: '4000000000009235',
  pm_card_authenticationRequiredOnSetup: '4000002500003155',
  pm_card_authenticationRequired: '4000002760003184',
  pm_card_threeDSecure2Required: '4000000000003220',
  pm_card_threeDSecureRequired: '4000000000003063',
  pm_card_threeDSecureOptional: '4000000000003055',
  pm_card_createDispute: '4000000000000259',
  pm_card_refundFail: '4000000000005126',
};
