import type { Tx } from '@/lib/db';

/**
 * Serialise every writer of one Stripe object (webhook handlers, reconcile)
 * for the rest of the transaction, whether or not its row exists yet.
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
 * (so a late event never undoes a newer one). Reconcile always writes.
 */
export async function versionToApply<T>(
  mode: Mode,
  storedAt: Date | null | undefined,
  eventAt: Date,
  incoming: T,
  refetch: () => Promise<T>,
): Promise<T | null> {
  if (mode === 'refetched') return incoming;
  const fresh = freshness(storedAt, eventAt);
  if (fresh === 'stale') return null;
  return fresh === 'tie' ? refetch() : incoming;
}

export const fromUnix = (seconds: number | null | undefined): Date | null =>
  seconds == null ? null : new Date(seconds * 1000);

export function later(a: Date | null | undefined, b: Date): Date {
  return a && a.getTime() > b.getTime() ? a : b;
}
