import type { Tx } from '@/lib/db';

/**
 * Serialise every writer of one Stripe object (webhook handlers, reconcile)
 * for the rest of the transaction, whether or not its row exists yet.
 *
 * Lock order (docs/decisions/0007-mirror-lock-order.md), the same in every
 * handler and in reconcile, so two writers never wait on each other in a cycle:
 *   1. the advisory lock of the object the transaction is about (a subscription,
 *      an invoice, a refund, `<cus>:entitlements`, or the customer itself);
 *   2. the customer's advisory lock, only when its row is created;
 *   3. the Customer row (in ensureMirroredCustomer): FOR SHARE when the event only
 *      reads it, so one customer's events apply concurrently; FOR NO KEY UPDATE when
 *      it writes the row (customer and entitlements events, a deletion, an event
 *      from ahead of our clock that moves observedAt), never a shared lock upgraded later;
 *   4. the object's own rows (Subscription, Invoice, Refund, Entitlement);
 *   5. Payment rows (lockPayment), then the credit ledger.
 */
export async function lockObject(tx: Tx, stripeId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${stripeId}, 0))`;
}

export type Freshness = 'newer' | 'tie' | 'stale';

/**
 * Is an event at `incoming` newer than the version stored (`stored`)?
 * Stripe timestamps are whole seconds, so two events in the same second are a
 * real case: a tie is settled by re-reading the object from Stripe.
 */
export function freshness(stored: Date | null | undefined, incoming: Date): Freshness {
  if (!stored) return 'newer';
  if (incoming.getTime() > stored.getTime()) return 'newer';
  return incoming.getTime() === stored.getTime() ? 'tie' : 'stale';
}

/** 'event': apply what a webhook carried; 'refetched': write what Stripe says now (reconcile). */
export type Mode = 'event' | 'refetched';

/**
 * The version of an object to write, under its lock: the event's own copy
 * when it is newer than what is stored, Stripe's current copy on a
 * same-second tie, or null when the event is older than what is stored
 * (so a late event never undoes a newer one). Reconcile always writes what
 * Stripe says now, read under the lock.
 */
export async function versionToApply<T>(
  mode: Mode,
  storedAt: Date | null | undefined,
  eventAt: Date,
  incoming: T,
  refetch: () => Promise<T>,
): Promise<T | null> {
  // Reconcile reads the object again under its lock: a copy listed before the
  // lock could be older than what a webhook wrote meanwhile.
  if (mode === 'refetched') return refetch();
  const fresh = freshness(storedAt, eventAt);
  if (fresh === 'stale') return null;
  return fresh === 'tie' ? refetch() : incoming;
}

export const fromUnix = (seconds: number | null | undefined): Date | null =>
  seconds == null ? null : new Date(seconds * 1000);

export function later(a: Date | null | undefined, b: Date): Date {
  return a && a.getTime() > b.getTime() ? a : b;
}

/**
 * Stripe's clock has whole seconds. A write made from a fresh read (reconcile)
 * is stamped with the second the read started, so a webhook created in that
 * same second is a tie (and re-reads the object), never "older than stored".
 */
export function stripeSecond(at: Date = new Date()): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

/** Stripe's 404 for an object that no longer exists (a deleted customer or draft invoice). */
export function isMissing(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; statusCode?: unknown };
  return e.code === 'resource_missing' || e.statusCode === 404;
}
