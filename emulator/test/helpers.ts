import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterEach, beforeEach } from 'vitest';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '../src/index';

export const API_KEY = 'sk_test_emulatorContract123';

export function sdk(port: number, key = API_KEY): Stripe {
  // No SDK retries: the tests see exactly what the emulator answered.
  return new Stripe(key, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
}

export interface Delivery {
  event: Stripe.Event;
  raw: string;
  signature: string;
  /** What `stripe.webhooks.constructEvent` said about the delivery. */
  verified: boolean;
  error: string | null;
}

/**
 * A tiny webhook receiver: verifies every delivery with the SDK and answers with whatever
 * `respond` decides (200 by default).
 */
export class Receiver {
  readonly deliveries: Delivery[] = [];
  secret = '';
  respond: (event: Stripe.Event | null, attempt: number) => number | Promise<number> = () => 200;
  private server: Server | null = null;
  private attempts = new Map<string, number>();

  async start(): Promise<string> {
    this.server = createServer(
      (req, res) => void this.handle(req).then((status) => res.writeHead(status).end(`status ${status}`)),
    );
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/webhooks`;
  }

  private async handle(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.from(chunk));
    const raw = Buffer.concat(chunks).toString('utf8');
    const signature = String(req.headers['stripe-signature'] ?? '');
    let event: Stripe.Event | null = null;
    let error: string | null = null;
    try {
      event = Stripe.webhooks.constructEvent(raw, signature, this.secret);
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const id = event?.id ?? 'unverified';
    const attempt = (this.attempts.get(id) ?? 0) + 1;
    this.attempts.set(id, attempt);
    if (event) this.deliveries.push({ event, raw, signature, verified: true, error });
    else this.deliveries.push({ event: JSON.parse(raw), raw, signature, verified: false, error });
    return this.respond(event, attempt);
  }

  types(): string[] {
    return this.deliveries.map((d) => d.event.type);
  }

  ofType<T extends Stripe.Event['type']>(type: T): Array<Extract<Stripe.Event, { type: T }>> {
    return this.deliveries
      .map((d) => d.event)
      .filter((e): e is Extract<Stripe.Event, { type: T }> => e.type === type);
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => {
      this.server?.close(() => done());
      this.server?.closeAllConnections();
    });
  }
}

export interface Harness {
  emulator: RunningEmulator;
  stripe: Stripe;
  receiver: Receiver;
  endpoint: Stripe.WebhookEndpoint;
  /** Waits until the emulator has no delivery pending, in flight or scheduled. */
  flush(timeoutMs?: number): Promise<void>;
  /** POSTs JSON to an emulator-only endpoint. */
  post(path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

export async function createHarness(
  options: StartEmulatorOptions = {},
  events: string[] = ['*'],
): Promise<Harness & { close(): Promise<void> }> {
  const emulator = await startEmulator({
    port: 0,
    dataFile: null,
    quiet: true,
    retrySchedule: [50, 100],
    ...options,
  });
  const stripe = sdk(emulator.port);
  const receiver = new Receiver();
  const url = await receiver.start();
  const endpoint = await stripe.webhookEndpoints.create({
    url,
    enabled_events: events as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
  });
  receiver.secret = endpoint.secret ?? '';
  const post = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const flush = async (timeoutMs = 10_000) => {
    const { status, body } = await post('/_emulator/flush', { timeout_ms: timeoutMs });
    if (status !== 200) throw new Error(`deliveries still pending: ${JSON.stringify(body)}`);
  };
  return {
    emulator,
    stripe,
    receiver,
    endpoint,
    flush,
    post,
    async close() {
      await emulator.close();
      await receiver.stop();
    },
  };
}

/** A fresh in-memory emulator and receiver for every test of the calling file. */
export function harnessPerTest(options: StartEmulatorOptions = {}, events?: string[]): Harness {
  let current: (Harness & { close(): Promise<void> }) | null = null;
  beforeEach(async () => {
    current = await createHarness(options, events);
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  const get = (): Harness => {
    if (!current) throw new Error('harness used outside a test');
    return current;
  };
  return {
    get emulator() {
      return get().emulator;
    },
    get stripe() {
      return get().stripe;
    },
    get receiver() {
      return get().receiver;
    },
    get endpoint() {
      return get().endpoint;
    },
    flush: (timeoutMs) => get().flush(timeoutMs),
    post: (path, body) => get().post(path, body),
  };
}

/** The id of the object an event carries. */
export function objectId(event: Stripe.Event): string | undefined {
  const object: object = event.data.object;
  return 'id' in object && typeof object.id === 'string' ? object.id : undefined;
}

/** Pays a Checkout Session through the emulator's test endpoint. */
export async function pay(h: Harness, sessionId: string, card: string, email = 'payer@example.com') {
  return h.post(`/_emulator/checkout/sessions/${sessionId}/pay`, { card, email });
}

/** Submits a hosted page's form like a browser would (form-encoded), without following the redirect. */
export async function submitForm(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; location: string | null; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

/** Expects a promise to reject with a Stripe error and returns it. */
export async function stripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected a Stripe error, but the call succeeded');
}
