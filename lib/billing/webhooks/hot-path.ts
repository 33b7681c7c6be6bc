import 'server-only';
import type Stripe from 'stripe';
import { pool } from '@/lib/db-pool';
import { applySubscriptionStatement, prepareSubscription } from '@/lib/billing/mirror/subscription-statement';

// The applier's hot path (ADR 0037): the commonest events applied on a plain
// pg connection in four round trips (BEGIN, claim and lock, one statement that
// writes everything, COMMIT) instead of a Prisma interactive transaction, as
// named statements (each connection parses and plans them once). It
// decides nothing the general path would decide differently: whatever it does
// not cover, it hands back (null) after rolling back, and processEvent runs the
// handler as before.

/** Types the hot path can apply (customer.subscription.trial_will_end also queues an email). */
export const HOT_TYPES: ReadonlySet<string> = new Set([
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
]);

// The event row FOR UPDATE SKIP LOCKED (so concurrent deliveries never both apply it), then, for a
// type the hot path applies (a platform event: a connected account's goes to applyConnectedEvent)
// and an event not yet applied, its object's advisory lock: step 1 of
// the lock order (mirror/guard.ts), in its own statement so the next one reads after it is granted.
const CLAIM = `
  WITH claimed AS MATERIALIZED (
    SELECT status::text AS status, type, payload, "objectId", type = ANY($2::text[]) AND account IS NULL AS hot
    FROM "WebhookEvent" WHERE id = $1 FOR UPDATE SKIP LOCKED
  )
  SELECT status, type, CASE WHEN hot THEN payload END AS payload,
    CASE WHEN hot AND status NOT IN ('processed', 'ignored') AND "objectId" IS NOT NULL
      THEN pg_advisory_xact_lock(hashtextextended("objectId", 0))::text END AS locked
  FROM claimed`;

export interface HotResult {
  result: 'processed' | 'skipped';
  type: string;
  outcome: string;
}

/**
 * Apply a recorded event on the hot path, or return null when the general
 * path must (another type, or a case the statement leaves to the handler).
 * Errors roll back and propagate, as the general path's do.
 */
export async function applyOnHotPath(eventId: string): Promise<HotResult | null> {
  const client = await pool().connect();
  let broken: Error | undefined;
  try {
    // The pool's statement_timeout bounds each statement (a job's run time is bounded, ADR 0018).
    await client.query('BEGIN');
    const { rows } = await client.query<{ status: string; type: string; payload: Stripe.Event | null }>({
      name: 'hot-path-claim',
      text: CLAIM,
      values: [eventId, [...HOT_TYPES]],
    });
    const row = rows[0];
    if (!row || row.status === 'processed' || row.status === 'ignored') {
      await client.query('ROLLBACK');
      return { result: 'skipped', type: row?.type ?? 'unknown', outcome: 'already applied or in progress' };
    }
    const prepared = row.payload ? prepareSubscription(row.payload) : null;
    const verdict = prepared ? await applySubscriptionStatement(client, eventId, prepared) : 'general';
    if (!prepared || verdict === 'general') {
      await client.query('ROLLBACK');
      return null;
    }
    await client.query('COMMIT');
    return {
      result: 'processed',
      type: row.type,
      outcome: verdict === 'stale' ? prepared.skipped : prepared.outcome,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
