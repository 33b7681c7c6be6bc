import { describe, expect, it } from 'vitest';
import { pay, harnessPerTest } from './helpers';

/**
 * The top-level fields of Stripe's example object for each resource (stripe/openapi
 * fixtures3.json, copied as facts). Every object the emulator returns must carry at least these.
 */
const FIXTURE_FIELDS: Record<string, string[]> = {
  customer: [
    'address',
    'balance',
    'created',
    'currency',
    'default_source',
    'delinquent',
    'description',
    'discount',
    'email',
    'id',
    'invoice_prefix',
    'invoice_settings',
    'livemode',
    'metadata',
    'name',
    'next_invoice_sequence',
    'object',
    'phone',
    'preferred_locales',
    'shipping',
    'tax_exempt',
    'test_clock',
  ],
  product: [
    'active',
    'created',
    'default_price',
    'description',
    'id',
    'images',
    'livemode',
    'marketing_features',
    'metadata',
    'name',
    'object',
    'package_dimensions',
    'shippable',
    'statement_descriptor',
    'tax_code',
    'type',
    'unit_label',
    'updated',
    'url',
  ],
  price: [
    'active',
    'billing_scheme',
    'created',
    'currency',
    'custom_unit_amount',
    'id',
    'livemode',
    'lookup_key',
    'metadata',
    'nickname',
    'object',
    'product',
    'recurring',
    'tax_behavior',
    'tiers_mode',
    'transform_quantity',
    'type',
    'unit_amount',
    'unit_amount_decimal',
  ],
  payment_method: [
    'allow_redisplay',
    'billing_details',
    'card',
    'created',
    'customer',
    'customer_account',
    'id',
    'livemode',
    'metadata',
    'object',
    'type',
  ],
  payment_intent: [
    'amount',
    'amount_capturable',
    'amount_details',
    'amount_received',
    'application',
    'application_fee_amount',
    'automatic_payment_methods',
    'canceled_at',
    'cancellation_reason',
    'capture_method',
    'client_secret',
    'confirmation_method',
    'created',
    'currency',
    'customer',
    'customer_account',
    'description',
    'excluded_payment_method_types',
    'id',
    'last_payment_error',
    'latest_charge',
    'livemode',
    'managed_payments',
    'metadata',
    'next_action',
    'object',
    'on_behalf_of',
    'payment_method',
    'payment_method_configuration_details',
    'payment_method_options',
    'payment_method_types',
    'processing',
    'receipt_email',
    'review',
    'setup_future_usage',
    'shipping',
    'source',
    'statement_descriptor',
    'statement_descriptor_suffix',
    'status',
    'transfer_data',
    'transfer_group',
  ],
  charge: [
    'amount',
    'amount_captured',
    'amount_refunded',
    'application',
    'application_fee',
    'application_fee_amount',
    'balance_transaction',
    'billing_details',
    'calculated_statement_descriptor',
    'captured',
    'created',
    'currency',
    'customer',
    'description',
    'disputed',
    'failure_balance_transaction',
    'failure_code',
    'failure_message',
    'fraud_details',
    'id',
    'livemode',
    'metadata',
    'object',
    'on_behalf_of',
    'outcome',
    'paid',
    'payment_intent',
    'payment_method',
    'payment_method_details',
    'receipt_email',
    'receipt_number',
    'receipt_url',
    'refunded',
    'refunds',
    'review',
    'shipping',
    'source',
    'source_transfer',
    'statement_descriptor',
    'statement_descriptor_suffix',
    'status',
    'transfer_data',
    'transfer_group',
  ],
  refund: [
    'amount',
    'balance_transaction',
    'charge',
    'created',
    'currency',
    'customer',
    'customer_account',
    'destination_details',
    'id',
    'metadata',
    'object',
    'payment_intent',
    'payment_method',
    'reason',
    'receipt_number',
    'source_transfer_reversal',
    'status',
    'transfer_reversal',
  ],
  'checkout.session': [
    'adaptive_pricing',
    'after_expiration',
    'allow_promotion_codes',
    'amount_subtotal',
    'amount_total',
    'automatic_tax',
    'billing_address_collection',
    'cancel_url',
    'client_reference_id',
    'client_secret',
    'collected_information',
    'consent',
    'consent_collection',
    'created',
    'currency',
    'currency_conversion',
    'custom_fields',
    'custom_text',
    'customer',
    'customer_account',
    'customer_creation',
    'customer_details',
    'customer_email',
    'discounts',
    'expires_at',
    'id',
    'integration_identifier',
    'invoice',
    'invoice_creation',
    'livemode',
    'locale',
    'managed_payments',
    'metadata',
    'mode',
    'object',
    'origin_context',
    'payment_intent',
    'payment_link',
    'payment_method_collection',
    'payment_method_configuration_details',
    'payment_method_options',
    'payment_method_types',
    'payment_status',
    'permissions',
    'phone_number_collection',
    'recovered_from',
    'saved_payment_method_options',
    'setup_intent',
    'shipping_address_collection',
    'shipping_cost',
    'shipping_options',
    'status',
    'submit_type',
    'subscription',
    'success_url',
    'total_details',
    'ui_mode',
    'url',
    'wallet_options',
  ],
  webhook_endpoint: [
    'api_version',
    'application',
    'created',
    'description',
    'enabled_events',
    'id',
    'livemode',
    'metadata',
    'object',
    'status',
    'url',
  ],
  event: [
    'api_version',
    'created',
    'data',
    'id',
    'livemode',
    'object',
    'pending_webhooks',
    'request',
    'type',
  ],
  item: [
    'adjustable_quantity',
    'amount_discount',
    'amount_subtotal',
    'amount_tax',
    'amount_total',
    'currency',
    'description',
    'id',
    'metadata',
    'object',
    'price',
    'quantity',
  ],
};

const ID_PREFIX: Record<string, RegExp> = {
  customer: /^cus_/,
  product: /^prod_/,
  price: /^price_/,
  payment_method: /^pm_/,
  payment_intent: /^pi_/,
  charge: /^ch_/,
  refund: /^re_/,
  'checkout.session': /^cs_test_/,
  webhook_endpoint: /^we_/,
  event: /^evt_/,
  item: /^li_/,
};

const h = harnessPerTest();

function expectShape(object: { object: string; id: string }): void {
  const fields = FIXTURE_FIELDS[object.object];
  expect(fields, `no fixture for ${object.object}`).toBeDefined();
  const missing = (fields ?? []).filter((field) => !(field in object));
  expect(missing, `${object.object} lacks fields`).toEqual([]);
  expect(object.id).toMatch(ID_PREFIX[object.object] ?? /^$/);
  // Driven by Stripe's fixture, not by the object: a field the fixture has is present and well-formed.
  const record = object as Record<string, unknown>;
  if (fields?.includes('livemode')) expect(record.livemode).toBe(false);
  if (fields?.includes('created')) expect(Number.isInteger(record.created)).toBe(true);
}

describe('object shapes', () => {
  it("carries every field of Stripe's example objects, with Stripe's id prefixes", async () => {
    const customer = await h.stripe.customers.create({ email: 'shape@example.com' });
    const product = await h.stripe.products.create({
      name: 'Shape',
      default_price_data: { currency: 'usd', unit_amount: 1000 },
    });
    const price = await h.stripe.prices.retrieve(String(product.default_price));
    const session = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'https://app.example/ok',
    });
    const [item] = (await h.stripe.checkout.sessions.listLineItems(session.id)).data;
    await pay(h, session.id, '4242424242424242');
    const paid = await h.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent.latest_charge', 'payment_intent.payment_method'],
    });
    const pi = paid.payment_intent;
    if (!pi || typeof pi === 'string') throw new Error('payment_intent not expanded');
    const charge = pi.latest_charge;
    const pm = pi.payment_method;
    if (!charge || typeof charge === 'string' || !pm || typeof pm === 'string')
      throw new Error('not expanded');
    const refund = await h.stripe.refunds.create({ charge: charge.id, amount: 100 });
    const [event] = (await h.stripe.events.list({ limit: 1 })).data;

    for (const object of [
      customer,
      product,
      price,
      session,
      paid,
      pi,
      charge,
      pm,
      refund,
      h.endpoint,
      event,
      item,
    ]) {
      if (!object) throw new Error('missing object');
      expectShape(object);
    }
    expect(h.endpoint.secret).toMatch(/^whsec_/);
  });

  it('serialises as Stripe does: unix seconds, metadata objects, snake_case', async () => {
    const customer = await h.stripe.customers.create();
    expect(Math.abs(customer.created - Date.now() / 1000)).toBeLessThan(5);
    expect(customer.metadata).toEqual({});
    const raw = await fetch(`${h.emulator.url}/v1/customers/${customer.id}`, {
      headers: { Authorization: 'Bearer sk_test_shape1' },
    });
    const text = await raw.text();
    expect(text).toContain('"object": "customer"');
    expect(raw.headers.get('content-type')).toContain('application/json');
  });
});
