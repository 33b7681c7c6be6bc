import type Stripe from 'stripe';
import type {
  EventObject,
  InvoiceItemObject,
  InvoiceObject,
  LineItemObject,
  PriceObject,
  SubscriptionObject,
  WireObject,
} from './types';

/** A map from id to row, in insertion order; `onChange` feeds the persistence debounce. */
export class Table<T extends { id: string }> {
  private rows = new Map<string, T>();
  onChange: () => void = () => {};

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  set(row: T): T {
    this.rows.set(row.id, row);
    this.onChange();
    return row;
  }

  delete(id: string): void {
    if (this.rows.delete(id)) this.onChange();
  }

  values(): T[] {
    return [...this.rows.values()];
  }

  get size(): number {
    return this.rows.size;
  }

  clear(): void {
    this.rows.clear();
  }

  /** Rows come from this store's own state file (written by `snapshot`), so they are trusted as T. */
  load(rows: unknown[]): void {
    this.rows.clear();
    for (const row of rows) {
      if (row && typeof row === 'object' && 'id' in row && typeof row.id === 'string') {
        this.rows.set(row.id, row as T);
      }
    }
  }
}

/** `payment_intent_data` given at creation; applied to the PaymentIntent made at payment time. */
export interface CheckoutPaymentIntentData {
  description: string | null;
  metadata: Record<string, string>;
  receipt_email: string | null;
  setup_future_usage: 'on_session' | 'off_session' | null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
}

/** `subscription_data` given at creation; the subscription is built from it when the session is paid. */
export interface CheckoutSubscriptionData {
  description: string | null;
  metadata: Record<string, string>;
  trial_period_days: number | null;
  trial_end: number | null;
  billing_cycle_anchor: number | null;
  proration_behavior: 'create_prorations' | 'none' | null;
  default_tax_rates: string[];
  missing_payment_method: 'cancel' | 'create_invoice' | 'pause' | null;
}

/** Extra state Stripe keeps about a Checkout Session that its API object does not show. */
export interface CheckoutExtras {
  id: string;
  line_items: LineItemObject[];
  payment_intent_data: CheckoutPaymentIntentData | null;
  subscription_data: CheckoutSubscriptionData | null;
  /** The customer created for this session by an earlier payment attempt. */
  created_customer: string | null;
  /** The email the payer entered on the hosted page. */
  email: string | null;
  /** `setup_intent_data` of a `setup` mode session (absent in state saved by older versions). */
  setup_intent_data?: { description: string | null; metadata: Record<string, string> } | null;
}

/** Billing state of a subscription that its API object does not show. */
export interface SubscriptionState {
  id: string;
  /** `customer.subscription.created` has gone out (Checkout announces only once paid). */
  announced: boolean;
  /** The Checkout Session creating it, until that completes. */
  checkout_session: string | null;
  /** One-shot events already sent (`trial_will_end:<trial_end>`, `upcoming:<period_end>`). */
  fired: string[];
}

/** API objects by their `object` name. */
export interface Collections {
  customer: Stripe.Customer;
  product: Stripe.Product;
  price: PriceObject;
  payment_method: Stripe.PaymentMethod;
  payment_intent: Stripe.PaymentIntent;
  setup_intent: Stripe.SetupIntent;
  charge: Stripe.Charge;
  balance_transaction: Stripe.BalanceTransaction;
  refund: Stripe.Refund;
  dispute: Stripe.Dispute;
  'checkout.session': Stripe.Checkout.Session;
  webhook_endpoint: Stripe.WebhookEndpoint;
  event: EventObject;
  subscription: SubscriptionObject;
  invoice: InvoiceObject;
  invoiceitem: InvoiceItemObject;
  invoice_payment: Stripe.InvoicePayment;
  discount: Stripe.Discount;
  coupon: Stripe.Coupon;
  promotion_code: Stripe.PromotionCode;
  'billing_portal.session': Stripe.BillingPortal.Session;
  'entitlements.feature': Stripe.Entitlements.Feature;
  product_feature: Stripe.ProductFeature;
  'test_helpers.test_clock': Stripe.TestHelpers.TestClock;
}

/** State that is not an API object. */
export interface Internal {
  /** The card number behind each card PaymentMethod (decides how charges on it behave). */
  card_vault: { id: string; number: string };
  checkout_extras: CheckoutExtras;
  webhook_secret: { id: string; secret: string };
  /** Deleted objects answer retrieve with `{id, object, deleted: true}`. */
  tombstone: { id: string; object: string; deleted: true };
  /** Inline prices and products (from `price_data`) that lists leave out. */
  unlisted: { id: string };
  subscription_state: SubscriptionState;
  /** The product each product_feature belongs to (the object does not say). */
  product_feature_link: { id: string; product: string };
  /** A customer's active entitlements as last announced (keyed by customer id). */
  entitlement_summary: { id: string; data: Stripe.Entitlements.ActiveEntitlement[] };
  /** The account's default billing portal configuration (`bpc_...`). */
  portal_configuration: { id: string };
}

type Tables<C> = { [K in keyof C]: C[K] extends { id: string } ? Table<C[K]> : never };

function objectTables(): Tables<Collections> {
  return {
    customer: new Table(),
    product: new Table(),
    price: new Table(),
    payment_method: new Table(),
    payment_intent: new Table(),
    setup_intent: new Table(),
    charge: new Table(),
    balance_transaction: new Table(),
    refund: new Table(),
    dispute: new Table(),
    'checkout.session': new Table(),
    webhook_endpoint: new Table(),
    event: new Table(),
    subscription: new Table(),
    invoice: new Table(),
    invoiceitem: new Table(),
    invoice_payment: new Table(),
    discount: new Table(),
    coupon: new Table(),
    promotion_code: new Table(),
    'billing_portal.session': new Table(),
    'entitlements.feature': new Table(),
    product_feature: new Table(),
    'test_helpers.test_clock': new Table(),
  };
}

function internalTables(): Tables<Internal> {
  return {
    card_vault: new Table(),
    checkout_extras: new Table(),
    webhook_secret: new Table(),
    tombstone: new Table(),
    unlisted: new Table(),
    subscription_state: new Table(),
    product_feature_link: new Table(),
    entitlement_summary: new Table(),
    portal_configuration: new Table(),
  };
}

export interface Snapshot {
  version: 1;
  objects: Record<string, unknown[]>;
  internal: Record<string, unknown[]>;
}

export class Store {
  readonly objects = objectTables();
  readonly internal = internalTables();
  private listeners: Array<() => void> = [];

  constructor() {
    for (const table of this.allTables()) table.onChange = () => this.changed();
  }

  /** Called after every change; persistence debounces on it. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Any object by id, including deleted ones (as their tombstone), for expansion. */
  find(id: string): WireObject | undefined {
    for (const table of Object.values(this.objects)) {
      const row = table.get(id);
      if (row) return row;
    }
    return this.internal.tombstone.get(id);
  }

  isUnlisted(id: string): boolean {
    return this.internal.unlisted.has(id);
  }

  clear(): void {
    for (const table of this.allTables()) table.clear();
    this.changed();
  }

  snapshot(): Snapshot {
    const dump = (tables: Record<string, Table<{ id: string }>>) =>
      Object.fromEntries(Object.entries(tables).map(([name, table]) => [name, table.values()]));
    return { version: 1, objects: dump(this.objects), internal: dump(this.internal) };
  }

  restore(snapshot: Snapshot): void {
    const fill = (tables: Record<string, Table<{ id: string }>>, data: Record<string, unknown[]>) => {
      for (const [name, table] of Object.entries(tables)) table.load(data[name] ?? []);
    };
    fill(this.objects, snapshot.objects);
    fill(this.internal, snapshot.internal);
  }

  private allTables(): Array<Table<{ id: string }>> {
    return [...Object.values(this.objects), ...Object.values(this.internal)];
  }
}
