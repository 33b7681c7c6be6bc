import { describe, expect, it } from 'vitest';
import { declineMessage } from './declines';

// Codes and advice from https://docs.stripe.com/declines/codes and https://docs.stripe.com/declines/card.
describe('declineMessage', () => {
  it('tells the customer to try another card when the card itself cannot pay', () => {
    for (const decline_code of [
      'insufficient_funds',
      'expired_card',
      'lost_card',
      'stolen_card',
      'fraudulent',
    ]) {
      expect(declineMessage({ code: 'card_declined', decline_code }), decline_code).toContain(
        'try another card',
      );
      expect(declineMessage({ code: 'card_declined', decline_code }), decline_code).not.toContain(
        'contact your bank',
      );
    }
  });

  it('tells the customer to contact their bank for an unexplained decline', () => {
    expect(
      declineMessage({
        code: 'card_declined',
        decline_code: 'generic_decline',
        advice_code: 'try_again_later',
      }),
    ).toBe('Your card was declined. Please contact your bank, or try another card.');
    expect(declineMessage({ code: 'card_declined', decline_code: 'card_velocity_exceeded' })).toContain(
      'contact your bank',
    );
  });

  it('never reveals a lost or stolen card', () => {
    expect(declineMessage({ code: 'card_declined', decline_code: 'stolen_card' })).not.toMatch(
      /stolen|lost/i,
    );
    expect(declineMessage({ code: 'card_declined', decline_code: 'lost_card' })).not.toMatch(/stolen|lost/i);
  });

  it('follows advice_code for decline codes it does not know', () => {
    expect(declineMessage({ decline_code: 'new_code', advice_code: 'do_not_try_again' })).toContain(
      'try another card',
    );
    expect(declineMessage({ decline_code: 'new_code', advice_code: 'confirm_card_data' })).toContain(
      'Check the card',
    );
    expect(declineMessage({ decline_code: 'new_code', message: 'Stripe says no.' })).toBe('Stripe says no.');
    expect(declineMessage(null)).toBe('The payment failed.');
  });

  it('asks to check the CVC and to retry a processing error', () => {
    expect(declineMessage({ code: 'incorrect_cvc', decline_code: 'incorrect_cvc' })).toContain(
      'security code',
    );
    expect(declineMessage({ code: 'processing_error' })).toContain('Try again');
  });
});
