import type Stripe from 'stripe';

/** The API version the emulator speaks: the one stripe@23.1.0 pins. */
export const API_VERSION = '2026-10-28.endive';

/**
 * Whether Stripe would know this API version: a real date no later than the emulator's own,
 * named (`2024-09-30.acacia` onwards) from the first named release on, plain before it.
 */
export function isKnownApiVersion(version: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})(?:\.([a-z]+))?$/.exec(version);
  if (!match?.[1]) return false;
  const date = match[1];
  if (
    Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
  )
    return false;
  const ours = API_VERSION.slice(0, 10);
  if (date > ours || date < '2011-01-01') return false;
  if (date === ours) return version === API_VERSION;
  return date >= '2024-09-30' ? match[2] !== undefined : match[2] === undefined;
}

/**
 * Every field of T present, the way Stripe sends objects (null rather than absent), except the
 * named ones that Stripe only includes on request or for other integrations. Building objects
 * as `Full<...>` makes the compiler list any field we forgot.
 */
export type Full<T, Omitted extends keyof T = never> = Required<Omit<T, Omitted>>;

/** T with the named optional fields required: for types whose other optional fields belong to
 * other payment method types (PaymentMethod, Charge details). */
export type With<T, K extends keyof T> = T & Required<Pick<T, K>>;

/**
 * Stripe sends decimals as strings. The SDK's `Price` type describes `unit_amount_decimal`
 * after the SDK has parsed it into its own Decimal class, so the wire shape differs there only.
 */
export type PriceObject = Omit<Stripe.Price, 'unit_amount_decimal'> & { unit_amount_decimal: string | null };
export type LineItemObject = Omit<Stripe.LineItem, 'price'> & { price: PriceObject | null };

/** Decimal fields travel as strings; the SDK parses them into its Decimal class. */
type WireDecimal<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: null extends T[P] ? string | null : string;
};
export type PlanObject = WireDecimal<Stripe.Plan, 'amount_decimal'>;
export type SubscriptionItemObject = Omit<Stripe.SubscriptionItem, 'price' | 'plan'> & {
  price: PriceObject;
  plan: PlanObject;
};
export type SubscriptionObject = Omit<Stripe.Subscription, 'items'> & {
  items: Stripe.ApiList<SubscriptionItemObject>;
};
export type LinePricing = WireDecimal<Stripe.InvoiceLineItem.Pricing, 'unit_amount_decimal'>;
export type InvoiceLineObject = Omit<Stripe.InvoiceLineItem, 'quantity_decimal' | 'pricing'> & {
  quantity_decimal: string | null;
  pricing: LinePricing | null;
};
export type InvoiceObject = Omit<Stripe.Invoice, 'lines'> & { lines: Stripe.ApiList<InvoiceLineObject> };
export type InvoiceItemObject = Omit<Stripe.InvoiceItem, 'quantity_decimal' | 'pricing'> & {
  quantity_decimal: string;
  pricing: LinePricing | null;
};

export type EventType = Stripe.Event['type'];
type SdkPayload<T extends EventType> = Extract<Stripe.Event, { type: T }>['data']['object'];
type Wire<P> = P extends Stripe.Price
  ? PriceObject
  : P extends Stripe.Subscription
    ? SubscriptionObject
    : P extends Stripe.Invoice
      ? InvoiceObject
      : P extends Stripe.InvoiceItem
        ? InvoiceItemObject
        : P;
/** The object an event of type T carries, in its wire form. */
export type EventPayload<T extends EventType> = Wire<SdkPayload<T>>;
/** Events whose object has no id: an invoice preview, an entitlement summary. */
export type PreviewEventType = 'invoice.upcoming' | 'entitlements.active_entitlement_summary.updated';

/** Any API object: all the generic code (expand, lists, events) needs. */
export interface WireObject {
  id: string;
  object: string;
}

/** Stripe.EventBase with the payload in wire form; `emit` checks payloads per event type. */
export interface EventObject extends Omit<Stripe.EventBase, 'data' | 'type'> {
  type: EventType;
  data: { object: { object: string; id?: string }; previous_attributes?: Record<string, unknown> };
}

export type ListObject<T> = Stripe.ApiList<T>;

/** A plain JSON value, as parsed from a form body or a JSON file. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
