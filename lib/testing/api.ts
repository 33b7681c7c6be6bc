// Test helpers for API-level tests: requests as a client sends them to the route
// handlers, and Stripe's events delivered through the webhook route itself.
import type Stripe from 'stripe';
import { GET as getBalance } from '@/app/api/credits/balance/route';
import { GET as getPayment } from '@/app/api/stripe/payments/[id]/route';
import { POST as webhookRoute } from '@/app/api/stripe/webhook/route';
import { createApiKey } from '@/lib/api/keys';
import { processEvent } from '@/lib/billing/webhooks/process';
import { db } from '@/lib/db';
import { createUser, eventsSince } from '@/lib/testing/fixtures';
import { signedRequest } from '@/lib/testing/webhooks';

export interface CallOptions {
  /** An API key: `Authorization: Bearer <key>`. */
  key?: string;
  /** A session cookie from the app's own pages (pair with a mocked `auth()` in the test file). */
  session?: boolean;
  body?: unknown;
  headers?: Record<string, string>;
  method?: string;
}

export function apiRequest(path: string, options: CallOptions = {}): Request {
  return new Request(`http://127.0.0.1${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.session ? { cookie: 'authjs.session-token=test', 'sec-fetch-site': 'same-origin' } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

export const routeParams = (id: string) => ({ params: Promise.resolve({ id }) });

/** A user (verified unless told otherwise) with an API key for their personal workspace. */
export async function apiUser(overrides: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser({ ...overrides, verified: true });
  const { key } = await createApiKey({ workspaceId: user.workspaceId, userId: user.id }, 'test');
  // Only verified owners may create keys; an unverified user keeps one made before.
  if (overrides.verified === false)
    await db.user.update({ where: { id: user.id }, data: { emailVerified: null } });
  return { user, key };
}

/** GET /api/credits/balance as the key's owner sees it. */
export async function balanceVia(key: string): Promise<number> {
  const response = await getBalance(apiRequest('/api/credits/balance', { key }));
  if (response.status !== 200) throw new Error(`balance: ${response.status}`);
  return ((await response.json()) as { balance: number }).balance;
}

/** GET /api/stripe/payments/:id as the key's owner sees it. */
export async function paymentVia(key: string, id: string) {
  const response = await getPayment(apiRequest(`/api/stripe/payments/${id}`, { key }), routeParams(id));
  if (response.status !== 200) throw new Error(`payment ${id}: ${response.status}`);
  return (await response.json()) as { status: string; amount: number; amountRefunded: number };
}

/**
 * POST each event to /api/stripe/webhook signed as Stripe signs it, then apply it as the
 * `apply_event` job would; every delivery must be acknowledged and applied.
 */
export async function deliverViaRoute(events: Stripe.Event[]): Promise<void> {
  for (const event of events) {
    const response = await webhookRoute(signedRequest(JSON.stringify(event)));
    if (response.status !== 200) throw new Error(`webhook ${event.type}: ${response.status}`);
    await processEvent(event.id);
  }
  const unapplied = await db.webhookEvent.findMany({
    where: { id: { in: events.map((e) => e.id) }, status: { notIn: ['processed', 'ignored'] } },
    select: { type: true, error: true },
  });
  if (unapplied.length) throw new Error(`events not applied: ${JSON.stringify(unapplied)}`);
}

/** Every emulator event since `since` that mentions `needle`, oldest first. */
export function eventsAbout(since: number, needle: string): Promise<Stripe.Event[]> {
  return eventsSince(since, (e) => JSON.stringify(e.data.object).includes(needle));
}
