import type Stripe from 'stripe';
import { newId } from '../ids';
import type { Op } from '../op';
import { address, idOf } from '../values';
import type {
  Full,
  InvoiceItemObject,
  InvoiceLineObject,
  InvoiceObject,
  PriceObject,
  SubscriptionObject,
} from '../types';
import { couponOf, discountLines } from './discounts';

/** One line of an invoice before it becomes a `line_item`. */
export interface LineSpec {
  amount: number;
  description: string;
  price: PriceObject | null;
  quantity: number;
  period: { start: number; end: number };
  proration: boolean;
  subscriptionItem: string | null;
  invoiceItem: string | null;
  discountable: boolean;
}

export interface InvoiceInput {
  customer: Stripe.Customer;
  subscription: SubscriptionObject | null;
  billing_reason: Stripe.Invoice.BillingReason;
  currency: string;
  lines: LineSpec[];
  discounts: Stripe.Discount[];
  period: { start: number; end: number };
  description?: string | null;
  metadata?: Record<string, string>;
  auto_advance?: boolean;
}

type Omitted =
  | 'amount_paid_off_stripe'
  | 'confirmation_secret'
  | 'deleted'
  | 'payments'
  | 'status_details'
  | 'threshold_reason';

function lineParent(line: LineSpec, subscription: string | null): Stripe.InvoiceLineItem.Parent {
  if (line.subscriptionItem) {
    return {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: line.invoiceItem,
        proration: line.proration,
        proration_details: { credited_items: null },
        subscription,
        subscription_item: line.subscriptionItem,
      },
    };
  }
  return {
    type: 'invoice_item_details',
    subscription_item_details: null,
    invoice_item_details: {
      invoice_item: line.invoiceItem ?? '',
      proration: line.proration,
      proration_details: { credited_items: null },
      subscription,
    },
  };
}

export function pricingOf(price: PriceObject | null): InvoiceLineObject['pricing'] {
  if (!price) return null;
  return {
    type: 'price_details',
    price_details: { price: price.id, product: idOf(price.product) ?? '' },
    unit_amount_decimal: price.unit_amount_decimal,
  };
}

/** Builds an invoice (draft) with its lines and totals; the caller stores and announces it. */
export function buildInvoice(op: Op, input: InvoiceInput, options: { id?: string } = {}): InvoiceObject {
  const id = options.id ?? newId('in');
  const subscriptionId = input.subscription?.id ?? null;
  const coupons = input.discounts
    .map((discount) => ({ id: discount.id, coupon: couponOf(op, discount) }))
    .filter((entry): entry is { id: string; coupon: Stripe.Coupon } => entry.coupon !== null);
  const { perLine, total: discountTotal } = discountLines(coupons, input.lines);
  const lines: InvoiceLineObject[] = input.lines.map((line, index) => {
    const amounts = perLine[index] ?? [];
    return {
      id: newId('il'),
      object: 'line_item',
      amount: line.amount,
      currency: input.currency,
      description: line.description,
      discount_amounts: amounts,
      discountable: line.discountable,
      discounts: [],
      invoice: id,
      livemode: false,
      metadata: {},
      parent: lineParent(line, subscriptionId),
      period: line.period,
      pretax_credit_amounts: [],
      pricing: pricingOf(line.price),
      quantity: line.quantity,
      quantity_decimal: String(line.quantity),
      subscription: subscriptionId,
      subtotal: line.amount,
      taxes: [],
    };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const total = subtotal - discountTotal;
  const customer = input.customer;
  const now = op.now();
  const invoice: Full<InvoiceObject, Omitted> = {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Stripe emulator',
    account_tax_ids: null,
    amount_due: Math.max(0, total),
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: Math.max(0, total),
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: input.auto_advance ?? true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: input.billing_reason,
    collection_method: 'charge_automatically',
    created: now,
    currency: input.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: customer.address ? address(customer.address) : null,
    customer_email: customer.email ?? null,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: customer.tax_exempt ?? 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: input.description ?? null,
    discounts: input.discounts.map((d) => d.id),
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: input.metadata ?? {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: input.subscription
      ? {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: {
            metadata: { ...input.subscription.metadata },
            subscription: input.subscription.id,
          },
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: input.period.end,
    period_start: input.period.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal,
    subtotal_excluding_tax: subtotal,
    test_clock: idOf(customer.test_clock),
    total,
    total_discount_amounts: coupons.map(({ id: discount }) => ({
      amount: perLine
        .flat()
        .filter((a) => a.discount === discount)
        .reduce((sum, a) => sum + a.amount, 0),
      discount,
    })),
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
  return invoice;
}

/** The line an invoice item becomes. */
export function itemLine(op: Op, item: InvoiceItemObject): LineSpec {
  const priceId = item.pricing?.price_details ? idOf(item.pricing.price_details.price) : null;
  const subscriptionItem = item.parent?.subscription_details?.subscription_item ?? null;
  return {
    amount: item.amount,
    description: item.description ?? '',
    price: priceId ? (op.store.objects.price.get(priceId) ?? null) : null,
    quantity: item.quantity,
    period: item.period,
    proration: item.proration,
    subscriptionItem,
    invoiceItem: item.id,
    discountable: item.discountable,
  };
}

/** A pending invoice item (a proration, or a one-off charge for the next invoice). */
export function createInvoiceItem(
  op: Op,
  input: {
    customer: Stripe.Customer;
    subscription: string | null;
    subscriptionItem: string | null;
    amount: number;
    currency: string;
    description: string;
    period: { start: number; end: number };
    price: PriceObject | null;
    quantity: number;
    proration: boolean;
    metadata?: Record<string, string>;
    invoice?: string | null;
  },
): InvoiceItemObject {
  const item: Full<InvoiceItemObject, 'deleted' | 'frozen_fields' | 'invoicing_rules' | 'proration_details'> =
    {
      id: newId('ii'),
      object: 'invoiceitem',
      amount: input.amount,
      currency: input.currency,
      customer: input.customer.id,
      customer_account: null,
      date: op.now(),
      description: input.description,
      discountable: !input.proration,
      discounts: [],
      invoice: input.invoice ?? null,
      livemode: false,
      metadata: input.metadata ?? {},
      net_amount: input.amount,
      parent: input.subscription
        ? {
            type: 'subscription_details',
            subscription_details: {
              subscription: input.subscription,
              ...(input.subscriptionItem ? { subscription_item: input.subscriptionItem } : {}),
            },
          }
        : null,
      period: input.period,
      pricing: pricingOf(input.price),
      proration: input.proration,
      quantity: input.quantity,
      quantity_decimal: String(input.quantity),
      tax_rates: [],
      test_clock: idOf(input.customer.test_clock),
    };
  op.store.objects.invoiceitem.set(item);
  op.emit('invoiceitem.created', item);
  return item;
}

/** Pending items of a customer (optionally of one subscription) that the next invoice takes. */
export function pendingItems(op: Op, customer: string, subscription: string | null): InvoiceItemObject[] {
  return op.store.objects.invoiceitem
    .values()
    .filter((item) => item.invoice === null && idOf(item.customer) === customer)
    .filter((item) => (item.parent?.subscription_details?.subscription ?? null) === subscription);
}
