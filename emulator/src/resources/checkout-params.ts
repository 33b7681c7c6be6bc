import { bool, type Infer, int, list, metadata, nullableStr, obj, oneOf, req, str } from '../wire/params';
import type { CheckoutPaymentIntentData, CheckoutSubscriptionData } from '../store';
import { priceCore, productDataShape } from './catalog-params';
import { mergeMetadata } from './common';

const lineItemShape = {
  price: str(),
  price_data: obj({ ...priceCore, product: str(), product_data: obj(productDataShape) }),
  quantity: req(int({ min: 1 })),
};
export type LineItemInput = Infer<typeof lineItemShape>;

/** The Checkout Session parameters the emulator understands; anything else is `parameter_unknown`. */
export const createShape = {
  mode: req(oneOf(['payment', 'subscription', 'setup'])),
  line_items: list(obj(lineItemShape)),
  success_url: str(),
  cancel_url: str(),
  client_reference_id: str({ max: 200 }),
  customer: str(),
  customer_email: str(),
  customer_creation: oneOf(['always', 'if_required']),
  metadata: metadata(),
  expires_at: int(),
  allow_promotion_codes: bool(),
  discounts: list(obj({ coupon: str(), promotion_code: str() })),
  billing_address_collection: oneOf(['auto', 'required']),
  locale: str(),
  submit_type: oneOf(['auto', 'book', 'donate', 'pay', 'subscribe']),
  ui_mode: oneOf(['hosted_page']),
  payment_method_types: list(oneOf(['card'])),
  currency: str(),
  setup_intent_data: obj({ description: str(), metadata: metadata() }),
  automatic_tax: obj({ enabled: req(bool()) }),
  phone_number_collection: obj({ enabled: req(bool()) }),
  payment_intent_data: obj({
    description: nullableStr(),
    metadata: metadata(),
    receipt_email: str(),
    setup_future_usage: oneOf(['on_session', 'off_session']),
    statement_descriptor: str(),
    statement_descriptor_suffix: str(),
    capture_method: oneOf(['automatic', 'automatic_async']),
    application_fee_amount: int({ min: 0 }),
  }),
  subscription_data: obj({
    description: str(),
    metadata: metadata(),
    trial_period_days: int({ min: 1, max: 730 }),
    trial_end: int(),
    billing_cycle_anchor: int(),
    proration_behavior: oneOf(['create_prorations', 'none']),
    default_tax_rates: list(str()),
    trial_settings: obj({
      end_behavior: obj({ missing_payment_method: oneOf(['cancel', 'create_invoice', 'pause']) }),
    }),
  }),
};

type CreateParams = Infer<typeof createShape>;

export function paymentIntentData(
  input: CreateParams['payment_intent_data'],
): CheckoutPaymentIntentData | null {
  if (!input) return null;
  return {
    description: input.description ?? null,
    metadata: mergeMetadata({}, input.metadata),
    receipt_email: input.receipt_email ?? null,
    setup_future_usage: input.setup_future_usage ?? null,
    statement_descriptor: input.statement_descriptor ?? null,
    statement_descriptor_suffix: input.statement_descriptor_suffix ?? null,
    application_fee_amount: input.application_fee_amount ?? null,
  };
}

export function subscriptionData(input: CreateParams['subscription_data']): CheckoutSubscriptionData | null {
  if (!input) return null;
  return {
    description: input.description ?? null,
    metadata: mergeMetadata({}, input.metadata),
    trial_period_days: input.trial_period_days ?? null,
    trial_end: input.trial_end ?? null,
    billing_cycle_anchor: input.billing_cycle_anchor ?? null,
    proration_behavior: input.proration_behavior ?? null,
    default_tax_rates: input.default_tax_rates ?? [],
    missing_payment_method: input.trial_settings?.end_behavior?.missing_payment_method ?? null,
  };
}
