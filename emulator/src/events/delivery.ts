import type { Store } from '../store';
import type { EventObject } from '../types';
import { newId } from '../ids';
import { signatureHeader } from './signing';
import type { EndpointRef } from './subscribers';

/** Test-only misbehaviour, to prove a webhook handler copes with what Stripe allows itself. */
export interface ChaosSettings {
  /** In (0,1): probability that a delivery is sent twice; an integer n >= 1: n extra copies of each. */
  duplicate: number;
  /** Shuffle each endpoint's pending deliveries whenever new ones arrive. */
  reorder: boolean;
  /** A random pause before every delivery attempt, in ms. */
  delayMs: [number, number];
  /** A pause before every API request runs (holds idempotency keys "in flight"). */
  apiDelayMs: number;
  /** Deliveries in flight at once per endpoint (Stripe does not wait for one answer before the next). */
  concurrency: number;
  /** In [0,1]: probability that an attempt fails: half answered 500 without sending, half sent and then timed out. */
  failRate: number;
  /** Event ids or types held back (not sent) until released with POST /_emulator/chaos/release. */
  hold: string[];
}

export const NO_CHAOS: ChaosSettings = {
  duplicate: 0,
  reorder: false,
  delayMs: [0, 0],
  apiDelayMs: 0,
  concurrency: 1,
  failRate: 0,
  hold: [],
};

/** An event waiting to go out, and the endpoints subscribed to it when it happened. */
export interface PendingEvent {
  event: EventObject;
  /** The account the event happened on. */
  account: string;
  endpoints: EndpointRef[];
}

export interface AttemptLog {
  id: string;
  event_id: string;
  event_type: string;
  /** The connected account of a Connect delivery (`event.account`); null otherwise. */
  account: string | null;
  endpoint_id: string;
  url: string;
  attempt: number;
  duplicate: boolean;
  /** succeeded; retrying (a later attempt is scheduled); failed (no attempts left). */
  status: 'succeeded' | 'retrying' | 'failed';
  status_code: number | null;
  response_excerpt: string;
  error: string | null;
  duration_ms: number;
  at: string;
  next_retry_at: string | null;
}

interface Job {
  eventId: string;
  /** The account the event happened on. */
  eventAccount: string;
  endpointId: string;
  /** The account owning the endpoint: another one means a Connect delivery (`event.account`). */
  endpointAccount: string;
  attempt: number;
  duplicate: boolean;
  released?: boolean;
}

export interface DeliverySettings {
  retrySchedule: number[];
  timeoutMs: number;
}

const LOG_LIMIT = 2000;

function shuffle<T>(items: T[]): T[] {
  const original = [...items];
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const a = items[i];
    const b = items[j];
    if (a !== undefined && b !== undefined) {
      items[i] = b;
      items[j] = a;
    }
  }
  // "Reorder" must mean a different order, or a test of it would pass by luck.
  if (items.length > 1 && items.every((item, index) => item === original[index])) {
    const first = items.shift();
    if (first !== undefined) items.push(first);
  }
  return items;
}

/**
 * At-least-once delivery: each endpoint has a queue sent one at a time, in order (unless chaos
 * reorders it). A non-2xx answer, a connection error or a timeout schedules a retry on the
 * compressed schedule; after the last one the delivery is marked failed.
 */
export class Deliveries {
  private ready = new Map<string, Job[]>();
  private busy = new Map<string, number>();
  private held: Job[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private closing = new AbortController();
  private waiters: Array<() => void> = [];
  readonly log: AttemptLog[] = [];

  constructor(
    private readonly store: Store,
    private readonly chaos: () => ChaosSettings,
    private readonly settings: DeliverySettings,
    private readonly logLine: (message: string) => void = () => {},
  ) {}

  enqueue(batch: PendingEvent[]): void {
    const chaos = this.chaos();
    const touched = new Set<string>();
    for (const { event, account, endpoints } of batch) {
      for (const { id: endpointId, account: endpointAccount } of endpoints) {
        const job: Job = {
          eventId: event.id,
          eventAccount: account,
          endpointId,
          endpointAccount,
          attempt: 1,
          duplicate: false,
        };
        const copies =
          chaos.duplicate >= 1 ? Math.floor(chaos.duplicate) : Math.random() < chaos.duplicate ? 1 : 0;
        const queue = this.queue(endpointId);
        queue.push(job);
        for (let i = 0; i < copies; i++) queue.push({ ...job, duplicate: true });
        touched.add(endpointId);
      }
    }
    for (const endpointId of touched) {
      if (chaos.reorder) shuffle(this.queue(endpointId));
      this.pump(endpointId);
    }
  }

  /** Held deliveries do not count: a test holds an event precisely to see the rest settle. */
  isIdle(): boolean {
    return (
      this.busy.size === 0 && this.timers.size === 0 && [...this.ready.values()].every((q) => q.length === 0)
    );
  }

  pendingCount(): number {
    const inFlight = [...this.busy.values()].reduce((sum, n) => sum + n, 0);
    return [...this.ready.values()].reduce((sum, q) => sum + q.length, 0) + inFlight + this.timers.size;
  }

  /** Event ids whose deliveries are held back. */
  heldEvents(): string[] {
    return [...new Set(this.held.map((job) => job.eventId))];
  }

  /** Send the held deliveries of these events (or of all, without ids); returns how many. */
  release(eventIds?: string[]): number {
    const chosen = this.held.filter((job) => !eventIds || eventIds.includes(job.eventId));
    this.held = this.held.filter((job) => !chosen.includes(job));
    for (const job of chosen) {
      this.queue(job.endpointId).push({ ...job, released: true });
      this.pump(job.endpointId);
    }
    return chosen.length;
  }

  /** Resolves true once nothing is queued, in flight or scheduled for retry; false on timeout. */
  waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== done);
        resolve(this.isIdle());
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(done);
    });
  }

  /** Drops everything pending (reset, close); attempts in flight are aborted. */
  clear(): void {
    this.closing.abort();
    this.closing = new AbortController();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.ready.clear();
    this.held = [];
    this.log.length = 0;
    this.settle();
  }

  private queue(endpointId: string): Job[] {
    let queue = this.ready.get(endpointId);
    if (!queue) this.ready.set(endpointId, (queue = []));
    return queue;
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  private pump(endpointId: string): void {
    const limit = Math.max(1, this.chaos().concurrency);
    while ((this.busy.get(endpointId) ?? 0) < limit) {
      const job = this.ready.get(endpointId)?.shift();
      if (!job) break;
      if (!job.released && this.isHeld(job)) {
        this.held.push(job);
        continue;
      }
      this.busy.set(endpointId, (this.busy.get(endpointId) ?? 0) + 1);
      void this.attempt(job).finally(() => {
        const left = (this.busy.get(endpointId) ?? 1) - 1;
        if (left > 0) this.busy.set(endpointId, left);
        else this.busy.delete(endpointId);
        this.pump(endpointId);
      });
    }
    this.settle();
  }

  private isHeld(job: Job): boolean {
    const { hold } = this.chaos();
    if (hold.length === 0) return false;
    const type = this.store.within(job.eventAccount, () => this.store.objects.event.get(job.eventId))?.type;
    return hold.includes(job.eventId) || (type !== undefined && hold.includes(type));
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async attempt(job: Job): Promise<void> {
    const signal = this.closing.signal;
    const [min, max] = this.chaos().delayMs;
    await this.pause(min + Math.random() * Math.max(0, max - min), signal);
    const { store } = this;
    const event = store.within(job.eventAccount, () => store.objects.event.get(job.eventId));
    const [endpoint, secret] = store.within(job.endpointAccount, () => [
      store.objects.webhook_endpoint.get(job.endpointId),
      store.internal.webhook_secret.get(job.endpointId)?.secret,
    ]);
    if (signal.aborted || !event || !endpoint || !secret || endpoint.status !== 'enabled') return;

    // An endpoint created with an api_version receives its events in that version
    // (https://docs.stripe.com/webhooks/versioning); the emulator renders one shape. A Connect
    // endpoint learns which connected account an event happened on from `account`.
    const connect = job.eventAccount !== job.endpointAccount;
    const payload = JSON.stringify(
      {
        ...(connect ? { account: job.eventAccount } : {}),
        ...event,
        ...(endpoint.api_version ? { api_version: endpoint.api_version } : {}),
      },
      null,
      2,
    );
    const started = Date.now();
    let statusCode: number | null = null;
    let excerpt = '';
    let error: string | null = null;
    // Injected failures: a 500 that never reached the app, or a delivery the app got but whose answer was lost.
    const injected = Math.random() < this.chaos().failRate ? (Math.random() < 0.5 ? 500 : 'timeout') : null;
    try {
      if (injected === 500) throw new InjectedFailure();
      const response = await fetch(endpoint.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.settings.timeoutMs)]),
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Cache-Control': 'no-cache',
          Accept: '*/*; q=0.5, application/xml',
          'Stripe-Signature': signatureHeader(payload, secret, Math.floor(Date.now() / 1000)),
        },
        body: payload,
      });
      statusCode = response.status;
      excerpt = (await response.text()).slice(0, 500);
      if (injected === 'timeout') {
        statusCode = null;
        error = `Timed out after ${this.settings.timeoutMs} ms (injected by chaos)`;
      }
    } catch (caught) {
      const name = caught instanceof Error ? caught.name : '';
      if (caught instanceof InjectedFailure) {
        statusCode = 500;
        excerpt = 'Injected by chaos (failRate)';
      } else
        error =
          name === 'TimeoutError'
            ? `Timed out after ${this.settings.timeoutMs} ms`
            : describeFetchError(caught);
    }
    if (signal.aborted) return;
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const delay = this.settings.retrySchedule[job.attempt - 1];
    const retry = !ok && delay !== undefined;
    this.record({
      id: newId('wha'),
      event_id: event.id,
      event_type: event.type,
      account: connect ? job.eventAccount : null,
      endpoint_id: endpoint.id,
      url: endpoint.url,
      attempt: job.attempt,
      duplicate: job.duplicate,
      status: ok ? 'succeeded' : retry ? 'retrying' : 'failed',
      status_code: statusCode,
      response_excerpt: excerpt,
      error,
      duration_ms: Date.now() - started,
      at: new Date(started).toISOString(),
      next_retry_at: retry ? new Date(Date.now() + delay).toISOString() : null,
    });
    if (!ok) {
      const what = statusCode === null ? (error ?? 'no response') : `HTTP ${statusCode}`;
      const next = retry ? `retrying in ${delay} ms` : 'giving up';
      this.logLine(
        `Delivery of ${event.type} ${event.id} to ${endpoint.url} failed (${what}, attempt ${job.attempt}); ${next}.`,
      );
    }
    if (ok && !job.duplicate) {
      event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
      store.within(job.eventAccount, () => store.objects.event.set(event));
    }
    if (retry) {
      this.later(delay, () => {
        this.queue(job.endpointId).push({ ...job, attempt: job.attempt + 1 });
        this.pump(job.endpointId);
      });
    }
  }

  private record(entry: AttemptLog): void {
    this.log.push(entry);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }
}

class InjectedFailure extends Error {}

function describeFetchError(caught: unknown): string {
  if (!(caught instanceof Error)) return String(caught);
  const cause = caught.cause instanceof Error ? `: ${caught.cause.message}` : '';
  return `${caught.message}${cause}`;
}
