import type Stripe from 'stripe';
import { BillingRuntime, type BillingSettings } from './billing/settings';
import { SystemClock } from './clock';
import { Deliveries, NO_CHAOS, type ChaosSettings } from './events/delivery';
import { Op } from './op';
import type { ApiRoute, HttpRoute } from './router';
import type { InvoiceObject } from './types';
import { Router } from './router';
import { Store } from './store';
import type { Includer } from './wire/expand';
import { IdempotencyKeys } from './wire/idempotency';
import type { StripeErrorBody } from './wire/errors';

/** What paying a Checkout Session with one card led to. */
export type CheckoutOutcome =
  | { status: 'complete' }
  | { status: 'requires_action'; payment_intent: string; url: string }
  | { status: 'failed'; error: StripeErrorBody };

/** How a Checkout Session of one mode takes its payment (`payment`, `subscription`). */
export interface CheckoutMode {
  pay(
    op: Op,
    session: Stripe.Checkout.Session,
    input: { paymentMethod: Stripe.PaymentMethod; email: string },
  ): CheckoutOutcome;
}

/** Extension points: resources register into these instead of calling each other directly. */
export interface Hooks {
  /** After a PaymentIntent succeeds (Checkout completion, invoices). */
  paymentSucceeded: Array<(op: Op, paymentIntent: Stripe.PaymentIntent) => void>;
  /** After a payment attempt fails (decline or failed 3-D Secure). */
  paymentFailed: Array<(op: Op, paymentIntent: Stripe.PaymentIntent) => void>;
  checkoutModes: Map<Stripe.Checkout.Session.Mode, CheckoutMode>;
  /** After an invoice is paid (by a payment, out of band, or because it was $0). */
  invoicePaid: Array<(op: Op, invoice: InvoiceObject) => void>;
  /** After an attempt to pay an invoice failed; `onSession`: the customer tried, not a retry. */
  invoicePaymentFailed: Array<(op: Op, invoice: InvoiceObject, onSession: boolean) => void>;
  /** Run about once a second and after `/_emulator/clock/advance` (session expiry, billing). */
  ticks: Array<(op: Op) => void>;
}

export interface EmulatorSettings {
  retrySchedule: number[];
  webhookTimeoutMs: number;
  quiet: boolean;
  chaos: ChaosSettings;
  billing: BillingSettings;
}

export class Emulator {
  readonly store = new Store();
  readonly clock = new SystemClock();
  readonly idempotency = new IdempotencyKeys();
  readonly deliveries: Deliveries;
  readonly api = new Router<ApiRoute>();
  readonly pages = new Router<HttpRoute>();
  readonly includes = new Map<string, Includer>();
  readonly hooks: Hooks = {
    paymentSucceeded: [],
    paymentFailed: [],
    checkoutModes: new Map(),
    invoicePaid: [],
    invoicePaymentFailed: [],
    ticks: [],
  };
  chaos: ChaosSettings;
  readonly billing: BillingRuntime;
  /** Set once the server listens: hosted page URLs are built from it. */
  baseUrl = '';

  constructor(readonly settings: EmulatorSettings) {
    this.chaos = { ...NO_CHAOS, ...settings.chaos };
    this.billing = new BillingRuntime({ ...settings.billing });
    this.deliveries = new Deliveries(
      this.store,
      () => this.chaos,
      { retrySchedule: settings.retrySchedule, timeoutMs: settings.webhookTimeoutMs },
      (message) => this.log(message),
    );
  }

  op(request?: Op['request']): Op {
    return new Op(this, request);
  }

  /** Runs `work` as its own operation and sends its events (for changes outside a request). */
  run<T>(work: (op: Op) => T): T {
    const op = this.op();
    try {
      return work(op);
    } finally {
      this.deliveries.enqueue(op.batch);
    }
  }

  tick(): void {
    for (const tick of this.hooks.ticks) this.run(tick);
  }

  reset(): void {
    this.deliveries.clear();
    this.idempotency.clear();
    this.store.clear();
    this.clock.reset();
    this.chaos = { ...NO_CHAOS, ...this.settings.chaos };
    this.billing.settings = { ...this.settings.billing };
    this.billing.globalRunUntil = null;
    this.billing.creating.clear();
    this.billing.onSession.clear();
  }

  log(message: string): void {
    if (!this.settings.quiet) console.log(`[stripe-emulator] ${message}`);
  }
}
