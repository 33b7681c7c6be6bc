import 'server-only';
import Stripe from 'stripe';
import { env } from '@/lib/env';
import { log } from '@/lib/log';
import {
  SIGNATURE_TOLERANCE_SECONDS,
  signatureTimeProblem,
  unstorableError,
  unstorableReason,
} from './intake';
import { recordEvent, type EventOwner } from './record';

// Stripe's events are far smaller; anything bigger is not from Stripe.
export const MAX_WEBHOOK_BYTES = 256 * 1024;
export { SIGNATURE_TOLERANCE_SECONDS };

function reply(status: number, body: Record<string, unknown>): Response {
  return Response.json(body, { status });
}

/** A signed body we cannot store: 400 with the reason (a retry could never help), logged, nothing written. */
function refuse(reason: string): Response {
  log.warn('webhook.rejected', { reason: `unstorable event: ${reason}` });
  return reply(400, { error: `Event cannot be stored: ${reason}.` });
}

async function readLimited(request: Request, limit: number, declared: number): Promise<string | null> {
  if (!request.body) return '';
  // A declared length within the limit: read it in one go (the common case).
  if (declared > 0) {
    const body = await request.text();
    return Buffer.byteLength(body) > limit ? null : body;
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export { recordEvent, type EventOwner } from './record';

/**
 * POST /api/stripe/webhook. Verify the raw body's signature, record the event
 * once by its id (the durable inbox) and queue its application on the job
 * queue, then acknowledge. A worker applies it (lib/jobs); applying never
 * waits on acknowledging, and the 2xx never waits on applying.
 */
export async function receiveWebhook(
  request: Request,
  options: {
    secret?: string | null;
    /**
     * Whose events this endpoint receives once verified (lib/billing/webhooks/connected-intake.ts):
     * the owner to record, or a Response refusing the event. Default: the platform's endpoint
     * (an event carrying `account` is still recorded as that account's, never the platform's).
     */
    ownerOf?: (event: Stripe.Event) => Promise<EventOwner | Response>;
  } = {},
): Promise<Response> {
  const secret = options.secret === undefined ? env().STRIPE_WEBHOOK_SECRET : options.secret;
  if (!secret)
    return reply(503, { error: 'Webhook signing secret is not configured (STRIPE_WEBHOOK_SECRET).' });

  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_WEBHOOK_BYTES)
    return reply(413, { error: `Payload too large (limit ${MAX_WEBHOOK_BYTES} bytes).` });
  const signature = request.headers.get('stripe-signature');
  if (!signature) return reply(400, { error: 'Missing Stripe-Signature header.' });
  const body = await readLimited(request, MAX_WEBHOOK_BYTES, declared);
  if (body === null) return reply(413, { error: `Payload too large (limit ${MAX_WEBHOOK_BYTES} bytes).` });

  const timeProblem = signatureTimeProblem(signature);
  if (timeProblem) {
    log.warn('webhook.rejected', { reason: timeProblem });
    return reply(400, { error: timeProblem });
  }

  let event: Stripe.Event;
  try {
    // The static verifier: a workspace's own endpoint is verified without the platform's key.
    event = Stripe.webhooks.constructEvent(body, signature, secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (error) {
    const stale = error instanceof Error && /timestamp outside the tolerance zone/i.test(error.message);
    log.warn('webhook.rejected', { reason: stale ? 'stale signature' : 'invalid signature' });
    return reply(400, { error: stale ? 'Signature timestamp is too old.' : 'Invalid signature.' });
  }
  const unstorable = unstorableReason(event);
  if (unstorable?.startsWith('malformed')) return reply(400, { error: 'Malformed event.' });
  if (unstorable) return refuse(unstorable);

  const owner = options.ownerOf
    ? await options.ownerOf(event)
    : { account: event.account ?? null, workspaceId: null };
  if (owner instanceof Response) return owner;
  const recorded = await recordEvent(event, body, owner).catch((error: unknown) => {
    if (unstorableError(error)) return null;
    throw error;
  });
  // A value PostgreSQL refuses (unstorableReason missed it): as final as a bad signature.
  if (recorded === null) return refuse('PostgreSQL cannot store a value in it');
  const { queued, status } = recorded;
  if (!queued && (status === 'processed' || status === 'ignored'))
    return reply(200, { received: true, duplicate: true });
  return reply(200, { received: true });
}
