import type { Tx } from '@/lib/billing/webhooks/types';

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

export const fromUnix = (seconds: number | null | undefined): Date | null => (seconds == null ? null : new Date(seconds * 1000));

export function later(a: Date | null | undefined, b: Date): Date {
  return a && a.getTime() > b.getTime() ? a : b;
}
