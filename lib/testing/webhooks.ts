// Test helpers: sign a payload exactly as Stripe does and post it to the
// webhook pipeline, collecting the work it defers until after the response.
import Stripe from 'stripe';
import { processEvent } from '@/lib/billing/webhooks/process';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { db } from '@/lib/db';
import { eventsOfCustomer } from '@/lib/testing/fixtures';

const signer = new Stripe('sk_test_signing_only');

export function signedRequest(
  payload: string,
  options: { secret?: string; timestamp?: number; header?: string | null } = {},
): Request {
  const secret = options.secret ?? process.env.STRIPE_WEBHOOK_SECRET!;
  const header =
    options.header === undefined
      ? signer.webhooks.generateTestHeaderString({ payload, secret, timestamp: options.timestamp })
      : options.header;
  return new Request('http://127.0.0.1/api/stripe/webhook', {
    method: 'POST',
    body: payload,
    headers: { 'content-type': 'application/json', ...(header ? { 'stripe-signature': header } : {}) },
  });
}

/** Deliver each event, signed, to the webhook route, in order; any answer but 200 throws. */
export async function deliverAll(events: ReadonlyArray<{ id: string }>): Promise<void> {
  for (const event of events) {
    const response = await receiveWebhook(signedRequest(JSON.stringify(event)));
    if (response.status !== 200) throw new Error(`event ${event.id} answered ${response.status}`);
  }
}

/** Deliver one request, then apply the event as its `apply_event` job would; returns the response. */
export async function deliver(request: Request, options: { secret?: string | null } = {}): Promise<Response> {
  const body = await request.clone().text();
  const response = await receiveWebhook(request, options);
  if (response.ok) {
    const id: unknown = (JSON.parse(body) as { id?: unknown }).id;
    if (typeof id === 'string') await processEvent(id);
  }
  return response;
}

export function fakeEvent(
  type: string,
  object: Record<string, unknown>,
  overrides: Partial<Stripe.Event> = {},
) {
  return {
    id: `evt_test_${Math.random().toString(36).slice(2)}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
    ...overrides,
  };
}

/**
 * Deliver every event about the customer not recorded yet, in order, and apply
 * each one. Returns only when each is applied: an event some worker holds
 * (processEvent answers 'skipped') is waited for, and a failure throws, so a
 * test never reads the mirror before its events are in it.
 */
export async function catchUp(customerId: string) {
  for (const event of await eventsOfCustomer(customerId)) {
    if (await db.webhookEvent.findUnique({ where: { id: event.id } })) continue;
    const response = await receiveWebhook(signedRequest(JSON.stringify(event)));
    if (response.status !== 200) throw new Error(`event ${event.id} answered ${response.status}`);
    const result = await processEvent(event.id);
    // 'skipped': another worker holds it, or it was applied meanwhile; 'failed': throw its error.
    if (result === 'skipped' || result === 'failed') await settled(event.id);
  }
}

async function settled(eventId: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const row = await db.webhookEvent.findUniqueOrThrow({
      where: { id: eventId },
      select: { status: true, error: true },
    });
    if (row.status === 'processed' || row.status === 'ignored') return;
    if (row.status === 'failed') throw new Error(`event ${eventId} failed to apply: ${row.error}`);
    if (Date.now() > deadline) throw new Error(`event ${eventId} still ${row.status} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
