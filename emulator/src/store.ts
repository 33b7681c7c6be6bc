import type Stripe from 'stripe';
import type { Registry } from './connect/records';
import { GLOBAL_PARTITION, PLATFORM_ACCOUNT, Scope, Table } from './table';
import type {
  EventObject,
  InvoiceItemObject,
  InvoiceObject,
  LineItemObject,
  PriceObject,
  SubscriptionObject,
  WireObject,
} from './types';

export { GLOBAL_PARTITION, PLATFORM_ACCOUNT, Scope, Table } from './table';
export type { AccountLinkRecord, AccountMeta, ApiKeyRecord, Registry } from './connect/records';

/** `payment_intent_data` given at creation; applied to the PaymentIntent made at payment time. */
export interface CheckoutPaymentIntentData {
  description: string | null;
  metadata: Record<string, string>;
  receipt_email: string | null;
  setup_future_usage: 'on_session' | 'off_session' | null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
  /** A direct charge's fee for the platform (absent in state saved by older versions). */
  application_fee_amount?: number | null;
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
  application_fee: Stripe.ApplicationFee;
}

/** State that is not an API object. */
export interface Internal {
  /** The card number behind each card PaymentMethod (decides how charges on it behave). */
  card_vault: { id: string; number: string };
  checkout_extras: CheckoutExtras;
  /** `connect`: a platform endpoint for its connected accounts' events (absent in older state). */
  webhook_secret: { id: string; secret: string; connect?: boolean };
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

function objectTables(scope: Scope): Tables<Collections> {
  return {
    customer: new Table(scope),
    product: new Table(scope),
    price: new Table(scope),
    payment_method: new Table(scope),
    payment_intent: new Table(scope),
    setup_intent: new Table(scope),
    charge: new Table(scope),
    balance_transaction: new Table(scope),
    refund: new Table(scope),
    dispute: new Table(scope),
    'checkout.session': new Table(scope),
    webhook_endpoint: new Table(scope),
    event: new Table(scope),
    subscription: new Table(scope),
    invoice: new Table(scope),
    invoiceitem: new Table(scope),
    invoice_payment: new Table(scope),
    discount: new Table(scope),
    coupon: new Table(scope),
    promotion_code: new Table(scope),
    'billing_portal.session': new Table(scope),
    'entitlements.feature': new Table(scope),
    product_feature: new Table(scope),
    'test_helpers.test_clock': new Table(scope),
    application_fee: new Table(scope),
  };
}

function internalTables(scope: Scope): Tables<Internal> {
  return {
    card_vault: new Table(scope),
    checkout_extras: new Table(scope),
    webhook_secret: new Table(scope),
    tombstone: new Table(scope),
    unlisted: new Table(scope),
    subscription_state: new Table(scope),
    product_feature_link: new Table(scope),
    entitlement_summary: new Table(scope),
    portal_configuration: new Table(scope),
  };
}

function registryTables(scope: Scope): Tables<Registry> {
  return {
    account: new Table(scope, true),
    account_meta: new Table(scope, true),
    api_key: new Table(scope, true),
    account_link: new Table(scope, true),
  };
}

type Dump = Record<string, unknown[]>;

/**
 * `objects` / `internal` hold the platform's rows (the format before Connect); `partitions` every
 * other account's, and the registry under `*`.
 */
export interface Snapshot {
  version: 1;
  objects: Dump;
  internal: Dump;
  partitions?: Record<string, { objects?: Dump; internal?: Dump; registry?: Dump }>;
}

type AnyTables = Record<string, Table<{ id: string }>>;

export class Store {
  readonly scope = new Scope();
  readonly objects = objectTables(this.scope);
  readonly internal = internalTables(this.scope);
  readonly registry = registryTables(this.scope);
  private listeners: Array<() => void> = [];

  constructor() {
    for (const table of this.allTables()) table.onChange = () => this.changed();
  }

  /** The account the running operation acts for. */
  get account(): string {
    return this.scope.current();
  }

  /** Runs `work` acting for `account`: every table read and write sees that account's rows. */
  within<T>(account: string, work: () => T): T {
    return this.scope.run(account, work);
  }

  /** Every account holding objects, the platform first. */
  accounts(): string[] {
    const keys = new Set<string>([PLATFORM_ACCOUNT]);
    for (const table of this.scopedTables()) for (const key of table.partitions()) keys.add(key);
    keys.delete(GLOBAL_PARTITION);
    return [...keys];
  }

  /** The account owning an object id (for hosted pages, which carry no API key). */
  ownerOf(id: string): string | undefined {
    for (const table of this.scopedTables()) {
      const owner = table.ownerOf(id);
      if (owner !== undefined) return owner;
    }
    return undefined;
  }

  /** Drops everything an account owns (a deleted account). */
  dropAccount(account: string): void {
    for (const table of this.scopedTables()) table.dropPartition(account);
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
    const dump = (tables: AnyTables, key: string) =>
      Object.fromEntries(Object.entries(tables).map(([name, table]) => [name, table.dump(key)]));
    const partitions: NonNullable<Snapshot['partitions']> = {};
    for (const account of this.accounts()) {
      if (account === PLATFORM_ACCOUNT) continue;
      partitions[account] = { objects: dump(this.objects, account), internal: dump(this.internal, account) };
    }
    partitions[GLOBAL_PARTITION] = { registry: dump(this.registry, GLOBAL_PARTITION) };
    return {
      version: 1,
      objects: dump(this.objects, PLATFORM_ACCOUNT),
      internal: dump(this.internal, PLATFORM_ACCOUNT),
      partitions,
    };
  }

  restore(snapshot: Snapshot): void {
    const fill = (tables: AnyTables, key: string, data: Dump | undefined) => {
      for (const [name, table] of Object.entries(tables)) table.load(key, data?.[name] ?? []);
    };
    for (const table of this.allTables()) table.clear();
    fill(this.objects, PLATFORM_ACCOUNT, snapshot.objects);
    fill(this.internal, PLATFORM_ACCOUNT, snapshot.internal);
    for (const [key, part] of Object.entries(snapshot.partitions ?? {})) {
      if (key === GLOBAL_PARTITION) fill(this.registry, key, part.registry);
      else {
        fill(this.objects, key, part.objects);
        fill(this.internal, key, part.internal);
      }
    }
  }

  private scopedTables(): Array<Table<{ id: string }>> {
    return [...Object.values(this.objects), ...Object.values(this.internal)];
  }

  private allTables(): Array<Table<{ id: string }>> {
    return [...this.scopedTables(), ...Object.values(this.registry)];
  }
}
