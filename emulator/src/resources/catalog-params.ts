import { bool, type Infer, int, list, metadata, nullableStr, obj, oneOf, req, str } from '../wire/params';

/** Parameter shapes shared by products, prices and Checkout's inline `price_data`. */
export const recurringShape = obj({
  interval: req(oneOf(['day', 'week', 'month', 'year'])),
  interval_count: int({ min: 1, max: 1095 }),
  usage_type: oneOf(['licensed']),
  trial_period_days: int({ min: 0 }),
});

/** The amount-and-recurrence part shared by prices.create, default_price_data and price_data. */
export const priceCore = {
  currency: req(str()),
  unit_amount: int({ min: 0 }),
  unit_amount_decimal: str(),
  recurring: recurringShape,
  tax_behavior: oneOf(['exclusive', 'inclusive', 'unspecified']),
};
export type PriceCore = Infer<typeof priceCore>;

/** `product_data` on prices and on Checkout's `price_data`. */
export const productDataShape = {
  name: req(str()),
  active: bool(),
  description: nullableStr(),
  metadata: metadata(),
  images: list(str()),
  statement_descriptor: nullableStr(),
  tax_code: str(),
  unit_label: nullableStr(),
};
export type ProductData = Infer<typeof productDataShape>;
