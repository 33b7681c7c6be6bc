/**
 * What to tell a customer whose card was declined, from Stripe's `decline_code` and
 * `advice_code` (https://docs.stripe.com/declines/codes, https://docs.stripe.com/declines/card).
 * Lost, stolen and fraud declines read as a plain decline: Stripe asks not to reveal them.
 */
export interface DeclineFacts {
  code?: string | null;
  decline_code?: string | null;
  advice_code?: string | null;
  message?: string | null;
}

const TRY_ANOTHER = 'Please try another card.';
const CONTACT_BANK = 'Please contact your bank, or try another card.';

export function declineMessage(facts: DeclineFacts | null | undefined): string {
  const decline = facts?.decline_code ?? facts?.code ?? null;
  switch (decline) {
    case 'insufficient_funds':
      return `Your card has insufficient funds. ${TRY_ANOTHER}`;
    case 'expired_card':
      return `Your card has expired. ${TRY_ANOTHER}`;
    case 'incorrect_cvc':
      return "Your card's security code is incorrect. Check it and try again.";
    case 'processing_error':
      return 'An error occurred while processing your card. Try again in a little bit.';
    case 'authentication_required':
      return 'Your bank asks you to confirm this payment. Please try again and complete the check.';
    case 'card_velocity_exceeded':
      return `Your card has reached its limit. ${CONTACT_BANK}`;
    case 'lost_card':
    case 'stolen_card':
    case 'fraudulent':
    case 'pickup_card':
      return `Your card was declined. ${TRY_ANOTHER}`;
    default:
      break;
  }
  if (facts?.advice_code === 'do_not_try_again') return `Your card was declined. ${TRY_ANOTHER}`;
  if (facts?.advice_code === 'confirm_card_data')
    return 'Your card was declined. Check the card details and try again.';
  if (decline === 'generic_decline' || decline === 'card_declined' || decline === 'do_not_honor')
    return `Your card was declined. ${CONTACT_BANK}`;
  return facts?.message ?? 'The payment failed.';
}
