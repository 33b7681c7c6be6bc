import type Stripe from 'stripe';
import { checkApplicationFee } from '../connect/fees';
import { setSessionDiscount } from '../billing/checkout-discounts';
import { resolveDiscounts } from '../billing/discounts';
import { newId } from '../ids';
import type { Op } from '../op';
import type { LineItemObject, PriceObject, With } from '../types';
import { invalidRequest, paramError } from '../wire/errors';
import type { Infer } from '../wire/params';
import { createShape, paymentIntentData, subscriptionData, type LineItemInput } from './checkout-params';
import { fromParam, mergeMetadata } from './common';
import { formatAmount, idOf } from '../values';
import { createPrice } from './price-build';
import { createProduct } from './products';

type CreateParams = Infer<typeof createShape>;

/** Resolves one `line_items[i]` entry: an active price, or `price_data` making an inline one. */
function lineItem(op: Op, item: LineItemInput, index: number): LineItemObject {
  const parent = `line_items[${index}]`;
  let price: PriceObject;
  if (item.price && item.price_data) {
    throw invalidRequest(
      `You may only specify one of these parameters: ${parent}[price], ${parent}[price_data].`,
    );
  }
  if (item.price) {
    price = fromParam(op.store.objects.price, item.price, 'price', `${parent}[price]`);
    if (!price.active) {
      throw invalidRequest('The price specified is inactive. This field only accepts active prices.', {
        param: `${parent}[price]`,
      });
    }
  } else if (item.price_data) {
    const { product, product_data, ...core } = item.price_data;
    let productId = product;
    if (productId)
      fromParam(op.store.objects.product, productId, 'product', `${parent}[price_data][product]`);
    else if (product_data) productId = createProduct(op, product_data, { inline: true }).id;
    else
      throw paramError(
        `Missing required param: ${parent}[price_data][product].`,
        `${parent}[price_data][product]`,
        'parameter_missing',
      );
    price = createPrice(op, core, { product: productId, inline: true, parent: `${parent}[price_data]` });
  } else {
    throw paramError(`Missing required param: ${parent}[price].`, `${parent}[price]`, 'parameter_missing');
  }
  const product = op.store.objects.product.get(idOf(price.product) ?? '');
  const amount = (price.unit_amount ?? 0) * item.quantity;
  return {
    id: newId('li'),
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description: product?.name ?? null,
    metadata: null,
    price: structuredClone(price),
    quantity: item.quantity,
  };
}

/** Stripe's rules tying mode to price types. */
function checkMode(mode: CreateParams['mode'], items: LineItemObject[]): void {
  const recurring = items.filter((item) => item.price?.recurring);
  if (mode === 'payment' && recurring.length) {
    throw invalidRequest(
      'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
      { param: 'line_items' },
    );
  }
  if (mode === 'subscription') {
    if (!recurring.length) {
      throw invalidRequest(
        'You must provide at least one recurring price in `subscription` mode when using prices.',
        {
          param: 'line_items',
        },
      );
    }
    const intervals = new Set(
      recurring.map((item) => `${item.price?.recurring?.interval}/${item.price?.recurring?.interval_count}`),
    );
    if (intervals.size > 1) {
      throw invalidRequest('Checkout does not support multiple prices with different billing intervals.', {
        param: 'line_items',
      });
    }
  }
  if (new Set(items.map((item) => item.currency)).size > 1) {
    throw invalidRequest('All line items must be in the same currency.', { param: 'line_items' });
  }
}

function checkUrl(url: string | undefined, param: string): void {
  if (url === undefined) return;
  try {
    new URL(url.replaceAll('{CHECKOUT_SESSION_ID}', 'cs_test'));
  } catch {
    throw paramError('Not a valid URL', param, 'url_invalid');
  }
}

function checkExpiry(op: Op, expiresAt: number | undefined): number {
  const now = op.now();
  if (expiresAt === undefined) return now + 24 * 60 * 60;
  if (expiresAt < now + 30 * 60) {
    throw paramError(
      'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.',
      'expires_at',
    );
  }
  if (expiresAt > now + 24 * 60 * 60) {
    throw paramError(
      'The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.',
      'expires_at',
    );
  }
  return expiresAt;
}

/** `setup` mode saves a card and charges nothing (https://docs.stripe.com/payments/save-and-reuse?platform=checkout). */
function checkSetupMode(params: CreateParams): void {
  for (const param of ['line_items', 'discounts', 'allow_promotion_codes'] as const) {
    if (params[param] !== undefined)
      throw paramError(`You cannot pass \`${param}\` in \`setup\` mode.`, param);
  }
}

/** Validates Checkout Session parameters as Stripe does and stores the open session. */
const FEE_PARAM = 'payment_intent_data[application_fee_amount]';

export function createSession(op: Op, params: CreateParams): Stripe.Checkout.Session {
  if (params.customer && params.customer_email) {
    throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', {
      validation: true,
    });
  }
  if (params.customer) fromParam(op.store.objects.customer, params.customer, 'customer', 'customer');
  if (params.customer_creation && params.mode !== 'payment') {
    throw paramError('`customer_creation` can only be used in `payment` mode.', 'customer_creation');
  }
  if (params.payment_intent_data && params.mode !== 'payment') {
    throw paramError('`payment_intent_data` can only be used in `payment` mode.', 'payment_intent_data');
  }
  if (params.subscription_data && params.mode !== 'subscription') {
    throw paramError('`subscription_data` can only be used in `subscription` mode.', 'subscription_data');
  }
  const setup = params.mode === 'setup';
  if (setup) checkSetupMode(params);
  else if (params.setup_intent_data)
    throw paramError('`setup_intent_data` can only be used in `setup` mode.', 'setup_intent_data');
  checkUrl(params.success_url, 'success_url');
  checkUrl(params.cancel_url, 'cancel_url');
  const expiresAt = checkExpiry(op, params.expires_at);
  if (!setup && !params.line_items?.length)
    throw paramError('Missing required param: line_items.', 'line_items', 'parameter_missing');
  const items = (params.line_items ?? []).map((item, index) => lineItem(op, item, index));
  checkMode(params.mode, items);
  const currency = setup ? (params.currency?.toLowerCase() ?? null) : (items[0]?.currency ?? 'usd');
  const priced = currency ?? 'usd';
  const subtotal = items.reduce((sum, item) => sum + item.amount_subtotal, 0);
  if (params.mode === 'payment' && subtotal < 50) {
    throw invalidRequest(
      `The Checkout Session's total amount due must add up to at least ${formatAmount(50, priced)} ${priced}`,
      {
        param: 'line_items',
        code: 'amount_too_small',
      },
    );
  }
  checkApplicationFee(op, params.payment_intent_data?.application_fee_amount, subtotal, priced, FEE_PARAM);
  if (params.discounts?.length && params.allow_promotion_codes) {
    throw invalidRequest('You may only specify one of these parameters: allow_promotion_codes, discounts.', {
      validation: true,
    });
  }
  if ((params.discounts?.length ?? 0) > 1)
    throw paramError('Checkout Sessions accept at most one discount.', 'discounts');
  const discounts = resolveDiscounts(op, params.discounts, {
    customer: params.customer ?? null,
    amount: subtotal,
    currency: priced,
  });
  const id = newId('cs');
  const payment = params.mode === 'payment';
  const session: With<Stripe.Checkout.Session, 'phone_number_collection'> = {
    id,
    object: 'checkout.session',
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: params.allow_promotion_codes ?? null,
    allowed_payment_method_types: null,
    amount_subtotal: setup ? null : subtotal,
    amount_total: setup ? null : subtotal,
    automatic_tax: {
      enabled: params.automatic_tax?.enabled ?? false,
      liability: null,
      provider: null,
      status: null,
    },
    billing_address_collection: params.billing_address_collection ?? null,
    cancel_url: params.cancel_url ?? null,
    client_reference_id: params.client_reference_id ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: op.now(),
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: params.customer ?? null,
    customer_account: null,
    // The emulator's payment-mode default is `always` (see README): Stripe's is `if_required`.
    customer_creation: payment && !params.customer ? (params.customer_creation ?? 'always') : null,
    customer_details: params.customer_email
      ? {
          address: null,
          business_name: null,
          email: params.customer_email,
          individual_name: null,
          name: null,
          phone: null,
          tax_exempt: 'none',
          tax_ids: null,
        }
      : null,
    customer_email: params.customer_email ?? null,
    discounts: [],
    expires_at: expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: payment
      ? {
          enabled: false,
          invoice_data: {
            account_tax_ids: null,
            custom_fields: null,
            description: null,
            footer: null,
            issuer: null,
            metadata: {},
            rendering_options: null,
          },
        }
      : null,
    livemode: false,
    locale: params.locale ?? null,
    managed_payments: null,
    metadata: mergeMetadata({}, params.metadata),
    mode: params.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: payment ? 'if_required' : 'always',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    payment_status: setup ? 'no_payment_required' : 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: params.phone_number_collection?.enabled ?? false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: params.submit_type ?? null,
    subscription: null,
    success_url: params.success_url ?? null,
    total_details: setup ? null : { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: `${op.emu.baseUrl}/c/pay/${id}`,
    wallet_options: null,
  };
  op.store.internal.checkout_extras.set({
    id,
    line_items: items,
    payment_intent_data: paymentIntentData(params.payment_intent_data),
    subscription_data: subscriptionData(params.subscription_data),
    created_customer: null,
    email: null,
    setup_intent_data: params.setup_intent_data
      ? {
          description: params.setup_intent_data.description ?? null,
          metadata: mergeMetadata({}, params.setup_intent_data.metadata),
        }
      : null,
  });
  op.store.objects['checkout.session'].set(session);
  if (discounts[0]) setSessionDiscount(op, session, discounts[0]);
  return session;
}
