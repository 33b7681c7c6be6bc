import 'server-only';
import type Stripe from 'stripe';
import { stripe as stripeClient } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { log } from '@/lib/log';
import { recordEvent } from './receive';

// Missed-event recovery, as Stripe recommends: list the account's events and
// record (and queue) any the inbox lacks. Stripe keeps events for 30 days.

const DAY = 86_400;
/** Overlap with the newest recorded event: events of one second arrive in any order. */
const OVERLAP_SECONDS = 300;
const MAX_EVENTS_PER_RUN = 10_000;

export interface Recovery {
  listed: number;
  recorded: number;
}

export async function recoverMissedEvents(client: Stripe = stripeClient()): Promise<Recovery> {
  const floor = Math.floor(Date.now() / 1000) - 30 * DAY;
  const newest = await db.webhookEvent.aggregate({ _max: { stripeCreated: true } });
  const newestSeconds = newest._max.stripeCreated
    ? Math.floor(newest._max.stripeCreated.getTime() / 1000)
    : floor;
  const since = Math.max(floor, newestSeconds - OVERLAP_SECONDS);
  const result: Recovery = { listed: 0, recorded: 0 };
  // Everything since the newest event we have, then whatever Stripe could not deliver in 30 days.
  const passes: Stripe.EventListParams[] = [
    { created: { gte: since }, limit: 100 },
    { delivery_success: false, created: { gte: floor }, limit: 100 },
  ];
  for (const params of passes) {
    let page: Stripe.Event[] = [];
    for await (const event of client.events.list(params)) {
      page.push(event);
      if (page.length === 100) {
        result.recorded += await recordMissing(page);
        page = [];
      }
      result.listed += 1;
      if (result.listed >= MAX_EVENTS_PER_RUN) break;
    }
    result.recorded += await recordMissing(page);
    if (result.listed >= MAX_EVENTS_PER_RUN) break;
  }
  if (result.recorded > 0) log.warn('webhook.recovered', { ...result });
  return result;
}

async function recordMissing(events: Stripe.Event[]): Promise<number> {
  if (events.length === 0) return 0;
  const known = await db.webhookEvent.findMany({
    where: { id: { in: events.map((e) => e.id) } },
    select: { id: true },
  });
  const have = new Set(known.map((e) => e.id));
  let recorded = 0;
  for (const event of events) {
    if (have.has(event.id)) continue;
    have.add(event.id);
    if ((await recordEvent(event, JSON.stringify(event))).queued) recorded += 1;
  }
  return recorded;
}
