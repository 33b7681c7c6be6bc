import type Stripe from 'stripe';
import type { Op } from '../op';
import { isCardInputError, readCardInput } from '../payments/card-input';
import { createCardPaymentMethod } from '../resources/payment-methods';
import type { Json } from '../types';
import { escapeHtml as e } from './layout';

export interface CardFormState {
  number?: string;
  expiry?: string;
  name?: string;
}

const text = (value: Json | undefined): string => (typeof value === 'string' ? value : '');

/** The card fields of the emulator's hosted pages (same labels as the Checkout page). */
export function cardFields(state: CardFormState): string {
  return `<fieldset>
<legend>Card information</legend>
<label for="cardNumber">Card number</label>
<input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" value="${e(state.number ?? '')}" required>
<div class="row">
<div><label for="cardExpiry">Expiration date</label>
<input id="cardExpiry" name="cardExpiry" autocomplete="cc-exp" placeholder="MM / YY" value="${e(state.expiry ?? '')}" required></div>
<div><label for="cardCvc">CVC</label>
<input id="cardCvc" name="cardCvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" required></div>
</div>
</fieldset>
<label for="billingName">Cardholder name</label>
<input id="billingName" name="billingName" autocomplete="cc-name" value="${e(state.name ?? '')}">`;
}

/** Reads a submitted card form into a new PaymentMethod, or the message a card form shows. */
export function cardFromForm(
  op: Op,
  body: Record<string, Json>,
): { paymentMethod: Stripe.PaymentMethod; state: CardFormState } | { error: string; state: CardFormState } {
  const state = {
    number: text(body.cardNumber),
    expiry: text(body.cardExpiry),
    name: text(body.billingName),
  };
  const card = readCardInput(
    { number: state.number, expiry: state.expiry, cvc: text(body.cardCvc) },
    new Date(op.emu.clock.nowMs()),
  );
  if (isCardInputError(card)) return { error: card.message, state };
  const paymentMethod = createCardPaymentMethod(op, { ...card, name: state.name.trim() || null });
  return { paymentMethod, state };
}
