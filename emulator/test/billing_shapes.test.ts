import { describe, expect, it } from 'vitest';
import { catalog, subscriber } from './billing_helpers';
import { harnessPerTest } from './helpers';

/**
 * The top-level fields of Stripe's example billing objects (stripe/openapi fixtures3.json, copied
 * as facts; `invoice.subscription` left out: the pinned API version no longer has it).
 */
const FIXTURE_FIELDS: Record<string, string[]> = {
  subscription: ['application', 'application_fee_percent', 'automatic_tax', 'billing_cycle_anchor', 'billing_cycle_anchor_config', 'billing_mode', 'billing_schedules', 'billing_thresholds', 'cancel_at', 'cancel_at_period_end', 'canceled_at', 'cancellation_details', 'collection_method', 'created', 'currency', 'customer', 'customer_account', 'days_until_due', 'default_payment_method', 'default_source', 'default_tax_rates', 'description', 'discounts', 'ended_at', 'id', 'invoice_settings', 'items', 'latest_invoice', 'livemode', 'managed_payments', 'metadata', 'next_pending_invoice_item_invoice', 'object', 'on_behalf_of', 'pause_collection', 'payment_settings', 'pending_invoice_item_interval', 'pending_setup_intent', 'pending_update', 'schedule', 'start_date', 'status', 'test_clock', 'transfer_data', 'trial_end', 'trial_settings', 'trial_start'],
  subscription_item: ['billing_thresholds', 'created', 'current_period_end', 'current_period_start', 'discounts', 'id', 'metadata', 'object', 'plan', 'price', 'quantity', 'subscription', 'tax_rates'],
  plan: ['active', 'amount', 'amount_decimal', 'billing_scheme', 'created', 'currency', 'id', 'interval', 'interval_count', 'livemode', 'metadata', 'meter', 'nickname', 'object', 'product', 'tiers_mode', 'transform_usage', 'trial_period_days', 'usage_type'],
  invoice: ['account_country', 'account_name', 'account_tax_ids', 'amount_due', 'amount_overpaid', 'amount_paid', 'amount_remaining', 'amount_shipping', 'application', 'attempt_count', 'attempted', 'auto_advance', 'automatic_tax', 'automatically_finalizes_at', 'billing_reason', 'collection_method', 'created', 'currency', 'custom_fields', 'customer', 'customer_account', 'customer_address', 'customer_email', 'customer_name', 'customer_phone', 'customer_shipping', 'customer_tax_exempt', 'customer_tax_ids', 'default_payment_method', 'default_source', 'default_tax_rates', 'description', 'discounts', 'due_date', 'effective_at', 'ending_balance', 'footer', 'from_invoice', 'hosted_invoice_url', 'id', 'invoice_pdf', 'issuer', 'last_finalization_error', 'latest_revision', 'lines', 'livemode', 'metadata', 'next_payment_attempt', 'number', 'object', 'on_behalf_of', 'parent', 'payment_settings', 'period_end', 'period_start', 'post_payment_credit_notes_amount', 'pre_payment_credit_notes_amount', 'receipt_number', 'rendering', 'shipping_cost', 'shipping_details', 'starting_balance', 'statement_descriptor', 'status', 'status_transitions', 'subtotal', 'subtotal_excluding_tax', 'test_clock', 'total', 'total_discount_amounts', 'total_excluding_tax', 'total_pretax_credit_amounts', 'total_taxes', 'webhooks_delivered_at'],
  line_item: ['amount', 'currency', 'description', 'discount_amounts', 'discountable', 'discounts', 'id', 'invoice', 'livemode', 'metadata', 'object', 'parent', 'period', 'pretax_credit_amounts', 'pricing', 'quantity', 'quantity_decimal', 'subscription', 'subtotal', 'taxes'],
  invoice_payment: ['amount_paid', 'amount_requested', 'created', 'currency', 'id', 'invoice', 'is_default', 'livemode', 'object', 'payment', 'status', 'status_transitions'],
  invoiceitem: ['amount', 'currency', 'customer', 'customer_account', 'date', 'description', 'discountable', 'discounts', 'id', 'invoice', 'livemode', 'metadata', 'net_amount', 'object', 'parent', 'period', 'pricing', 'proration', 'quantity', 'quantity_decimal', 'tax_rates', 'test_clock'],
  coupon: ['amount_off', 'created', 'currency', 'duration', 'duration_in_months', 'id', 'livemode', 'max_redemptions', 'metadata', 'name', 'object', 'percent_off', 'redeem_by', 'times_redeemed', 'valid'],
  promotion_code: ['active', 'code', 'created', 'customer', 'customer_account', 'expires_at', 'id', 'livemode', 'max_redemptions', 'metadata', 'object', 'promotion', 'restrictions', 'times_redeemed'],
  discount: ['checkout_session', 'customer', 'customer_account', 'end', 'id', 'invoice', 'invoice_item', 'object', 'promotion_code', 'source', 'start', 'subscription', 'subscription_item'],
  'billing_portal.session': ['configuration', 'created', 'customer', 'customer_account', 'flow', 'id', 'livemode', 'locale', 'object', 'on_behalf_of', 'return_url', 'url'],
  'entitlements.feature': ['active', 'id', 'livemode', 'lookup_key', 'metadata', 'name', 'object'],
  product_feature: ['entitlement_feature', 'id', 'livemode', 'object'],
  'entitlements.active_entitlement': ['feature', 'id', 'livemode', 'lookup_key', 'object'],
  'test_helpers.test_clock': ['created', 'deletes_after', 'frozen_time', 'id', 'livemode', 'name', 'object', 'status', 'status_details'],
};

const ID_PREFIX: Record<string, RegExp> = {
  subscription: /^sub_/,
  subscription_item: /^si_/,
  plan: /^price_/,
  invoice: /^in_/,
  line_item: /^il_/,
  invoice_payment: /^inpay_/,
  invoiceitem: /^ii_/,
  coupon: /^\w+$/,
  promotion_code: /^promo_/,
  discount: /^di_/,
  'billing_portal.session': /^bps_/,
  'entitlements.feature': /^feat_/,
  product_feature: /^prodft_/,
  'entitlements.active_entitlement': /^ent_/,
  'test_helpers.test_clock': /^clock_/,
};

const h = harnessPerTest();

describe('billing object shapes', () => {
  it("carry every field of Stripe's example objects, with Stripe's id prefixes", async () => {
    const plans = await catalog(h);
    const feature = await h.stripe.entitlements.features.create({ lookup_key: 'shape', name: 'Shape' });
    const productFeature = await h.stripe.products.createFeature(plans.proProduct, { entitlement_feature: feature.id });
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: 2_000_000_000 });
    const customer = await subscriber(h);
    const coupon = await h.stripe.coupons.create({ percent_off: 10, duration: 'forever' });
    const promotion = await h.stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id } });
    const created = await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: plans.pro.id }], discounts: [{ coupon: coupon.id }] });
    const sub = await h.stripe.subscriptions.retrieve(created.id, { expand: ['discounts'] });
    const invoice = await h.stripe.invoices.retrieve(String(sub.latest_invoice));
    const [payment] = (await h.stripe.invoicePayments.list({ invoice: invoice.id })).data;
    const item = await h.stripe.invoiceItems.create({ customer: customer.id, amount: 100, currency: 'usd' });
    const portal = await h.stripe.billingPortal.sessions.create({ customer: customer.id });
    const [entitlement] = (await h.stripe.entitlements.activeEntitlements.list({ customer: customer.id })).data;
    const discount = sub.discounts[0];
    const objects = [sub, sub.items.data[0], sub.items.data[0]?.plan, invoice, invoice.lines.data[0], payment, item, coupon, promotion, discount, portal, feature, productFeature, entitlement, clock];
    for (const object of objects) {
      if (!object || typeof object === 'string') throw new Error('missing object');
      const fields = FIXTURE_FIELDS[object.object] ?? [];
      expect(fields.length, `fixture for ${object.object}`).toBeGreaterThan(0);
      expect(fields.filter((field) => !(field in object)), `${object.object} lacks fields`).toEqual([]);
      expect(object.id).toMatch(ID_PREFIX[object.object] ?? /^$/);
      if ('livemode' in object) expect(object.livemode).toBe(false);
    }
  });
});
