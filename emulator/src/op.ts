import type Stripe from 'stripe';
import type { BillingRuntime } from './billing/settings';
import type { SystemClock } from './clock';
import type { Deliveries, PendingEvent } from './events/delivery';
import { subscribedEndpoints } from './events/subscribers';
import { previousAttributes } from './events/diff';
import { newId } from './ids';
import type { Store } from './store';
import {
  API_VERSION,
  type EventObject,
  type EventPayload,
  type EventType,
  type InvoiceObject,
  type PreviewEventType,
  type WireObject,
} from './types';
import type { StripeErrorBody } from './wire/errors';

/** What paying a Checkout Session with one card led to. */
export type CheckoutOutcome =
  | { status: 'complete' }
  | { status: 'requires_action'; url: string; payment_intent?: string; setup_intent?: string }
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
  /** After a SetupIntent succeeds (confirmed at once or after 3-D Secure): Checkout, pending_setup_intent. */
  setupSucceeded: Array<(op: Op, setupIntent: Stripe.SetupIntent) => void>;
  /** After an invoice is paid (by a payment, out of band, or because it was $0). */
  invoicePaid: Array<(op: Op, invoice: InvoiceObject) => void>;
  /** After an attempt to pay an invoice failed; `onSession`: the customer tried, not a retry. */
  invoicePaymentFailed: Array<(op: Op, invoice: InvoiceObject, onSession: boolean) => void>;
  /** Run about once a second and after `/_emulator/clock/advance` (session expiry, billing). */
  ticks: Array<(op: Op) => void>;
}

/** What an operation needs of the running emulator (the Emulator class implements it). */
export interface Host {
  readonly store: Store;
  readonly clock: SystemClock;
  readonly deliveries: Deliveries;
  readonly hooks: Hooks;
  readonly billing: BillingRuntime;
  /** Set once the server listens: hosted page URLs are built from it. */
  baseUrl: string;
  log(message: string): void;
}

/** The API request behind an event (`event.request`); null ids for automatic changes. */
export interface RequestRef {
  id: string | null;
  idempotency_key: string | null;
}

/**
 * One operation (an API request, a hosted-page submit, a background tick). It collects the
 * events it emits; the server hands them to delivery only after the response has been sent.
 */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class Op {
  readonly batch: PendingEvent[] = [];
  /** The platform acting through `Stripe-Account` for this request's account (null otherwise). */
  platform: string | null = null;
  /** Simulated time for this operation (a test clock's frozen time, a renewal's due time). */
  private time: number | null = null;

  constructor(
    readonly emu: Host,
    public request: RequestRef = { id: null, idempotency_key: null },
  ) {}

  get store(): Store {
    return this.emu.store;
  }

  /** Unix seconds: the simulated time if one is set, else the emulator's clock. */
  now(): number {
    return this.time ?? this.emu.clock.now();
  }

  /** Sets the simulated time for the rest of this operation (null: the emulator's clock). */
  setTime(time: number | null): void {
    this.time = time;
  }

  /** Runs `work` at a simulated time, still as part of this request. */
  at<T>(time: number, work: () => T): T {
    const previous = this.time;
    this.time = time;
    try {
      return work();
    } finally {
      this.time = previous;
    }
  }

  /** Runs `work` at a simulated time as an automatic change (events carry no request). */
  automatic<T>(time: number, work: () => T): T {
    const [previousTime, previousRequest] = [this.time, this.request];
    this.time = time;
    this.request = { id: null, idempotency_key: null };
    try {
      return work();
    } finally {
      this.time = previousTime;
      this.request = previousRequest;
    }
  }

  /** Records an event (payload frozen as it is now) for the endpoints subscribed to its type. */
  emit<T extends EventType>(
    type: T,
    object: EventPayload<T> & WireObject,
    previous?: Record<string, unknown>,
  ): EventObject {
    return this.record(type, object, previous);
  }

  /**
   * Records an event as if it had been emitted when the batch had `position` events: for an
   * event whose payload is only known later (Checkout's `customer.subscription.created`).
   */
  emitAt<T extends EventType>(position: number, type: T, object: EventPayload<T> & WireObject): EventObject {
    const event = this.record(type, object);
    const pending = this.batch.pop();
    if (pending) this.batch.splice(position, 0, pending);
    return event;
  }

  /** An event whose object has no id (an upcoming-invoice preview, an entitlement summary). */
  emitPreview<T extends PreviewEventType>(
    type: T,
    object: WithoutId<EventPayload<T>> & { object: string },
  ): EventObject {
    return this.record(type, object);
  }

  private record(
    type: EventType,
    object: { object: string; id?: string },
    previous?: Record<string, unknown>,
  ): EventObject {
    const account = this.store.account;
    const endpoints = subscribedEndpoints(this.store, account, type);
    const data: EventObject['data'] = { object: structuredClone(object) };
    if (previous) data.previous_attributes = previous;
    const event: EventObject = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.now(),
      data,
      livemode: false,
      pending_webhooks: endpoints.length,
      request: { ...this.request },
      type,
    };
    this.store.objects.event.set(event);
    this.batch.push({ event, account, endpoints });
    return event;
  }

  /** Emits `type` with `previous_attributes` if anything changed between the two snapshots. */
  emitUpdated<T extends EventType>(
    type: T,
    before: EventPayload<T> & WireObject,
    after: EventPayload<T> & WireObject,
  ): void {
    const previous = previousAttributes(before, after);
    if (previous) this.emit(type, after, previous);
  }
}
