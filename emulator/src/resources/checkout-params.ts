import { bool, type Infer, int, list, metadata, nullableStr, obj, oneOf, req, str } from '../wire/params';
import { priceCore, productDataShape } from './catalog-params';

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
