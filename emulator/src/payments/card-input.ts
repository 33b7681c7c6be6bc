import { luhnValid } from './cards';

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
}

/** What a card form would refuse before anything reaches Stripe (no PaymentIntent, no events). */
export interface CardInputError {
  code: string;
  message: string;
}

/**
 * Reads the card as typed: number with or without spaces, expiry as `MM / YY`, `MM/YYYY` or
 * separate fields, any CVC of 3-4 digits. Any future expiry is accepted.
 */
export function readCardInput(
  raw: { number: string; expiry?: string; expMonth?: string; expYear?: string; cvc: string },
  now: Date,
): CardInput | CardInputError {
  const number = raw.number.replace(/[\s-]/g, '');
  if (number.length < 12 || !/^\d+$/.test(number))
    return { code: 'incomplete_number', message: 'Your card number is incomplete.' };
  if (!luhnValid(number)) return { code: 'invalid_number', message: 'Your card number is invalid.' };
  let month = raw.expMonth ?? '';
  let year = raw.expYear ?? '';
  if (raw.expiry !== undefined) {
    const match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(raw.expiry);
    month = match?.[1] ?? '';
    year = match?.[2] ?? '';
  }
  if (!month || !year)
    return { code: 'incomplete_expiry', message: "Your card's expiration date is incomplete." };
  const expMonth = Number(month);
  const expYear = year.length === 2 ? 2000 + Number(year) : Number(year);
  if (expMonth < 1 || expMonth > 12)
    return { code: 'invalid_expiry_month', message: "Your card's expiration month is invalid." };
  const thisYear = now.getUTCFullYear();
  if (expYear < thisYear || (expYear === thisYear && expMonth < now.getUTCMonth() + 1)) {
    return { code: 'invalid_expiry_year_past', message: "Your card's expiration date is in the past." };
  }
  if (!/^\d{3,4}$/.test(raw.cvc.trim()))
    return { code: 'incomplete_cvc', message: "Your card's security code is incomplete." };
  return { number, expMonth, expYear };
}

export function isCardInputError(value: CardInput | CardInputError): value is CardInputError {
  return 'message' in value;
}
