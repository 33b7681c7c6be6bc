import { BillingRuntime, type BillingSettings } from './billing/settings';
import { SystemClock } from './clock';
import { Deliveries, NO_CHAOS, type ChaosSettings } from './events/delivery';
import { Op, type Host, type Hooks } from './op';
import type { ApiRoute, HttpRoute } from './router';
import { Router } from './router';
import { Store } from './store';
import type { Includer } from './wire/expand';
import { IdempotencyKeys } from './wire/idempotency';

export type { CheckoutMode, CheckoutOutcome, Hooks } from './op';

export interface EmulatorSettings {
  retrySchedule: number[];
  webhookTimeoutMs: number;
  quiet: boolean;
  chaos: ChaosSettings;
  billing: BillingSettings;
}

export class Emulator implements Host {
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
    setupSucceeded: [],
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

  /** Time passes for every account: each one's billing runs in its own scope. */
  tick(): void {
    const runUntil = this.billing.globalRunUntil;
    for (const account of this.store.accounts()) {
      this.billing.globalRunUntil = runUntil;
      this.store.within(account, () => {
        for (const tick of this.hooks.ticks) this.run(tick);
      });
    }
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
