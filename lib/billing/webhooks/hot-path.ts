import 'server-only';
import type Stripe from 'stripe';
import { pool } from '@/lib/db-pool';
import {
  applySubscriptionStatement,
  prepareSubscription,
  type PreparedSubscription,
} from '@/lib/billing/mirror/subscription-statement';

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

/** A payload the statement cannot take (a malformed item, say) is the handler's to judge and report. */
function preparedOrNull(event: Stripe.Event): PreparedSubscription | null {
  try {
    return prepareSubscription(event);
  } catch {
    return null;
  }
}

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
    const prepared = row.payload ? preparedOrNull(row.payload) : null;
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

// A batch's hot events in one transaction (ADR 0038): every row FOR UPDATE SKIP LOCKED, then the
// advisory locks of all their objects in one order (step 1 of the lock order for each, before any
// statement takes a customer row, so two batches cannot wait on each other in a cycle).
const CLAIM_MANY = `
  WITH claimed AS MATERIALIZED (
    SELECT id, status::text AS status, type, payload, "objectId", type = ANY($2::text[]) AND account IS NULL AS hot
    FROM "WebhookEvent" WHERE id = ANY($1::text[]) FOR UPDATE SKIP LOCKED
  ), locked AS MATERIALIZED (
    SELECT count(pg_advisory_xact_lock(k)) AS n FROM (
      SELECT DISTINCT hashtextextended("objectId", 0) AS k FROM claimed
      WHERE hot AND status NOT IN ('processed', 'ignored') AND "objectId" IS NOT NULL ORDER BY 1
    ) AS keys
  )
  SELECT c.id, c.status, c.type, CASE WHEN c.hot THEN c.payload END AS payload, c."objectId"
  FROM claimed c, locked`;

/**
 * Apply several recorded events on the hot path in one transaction, in the
 * order given: each one's statement reads what the previous ones wrote. The
 * answer maps each id to its result, or to null when the general path must
 * apply it; once an object has such an event, its later events in the batch
 * go there too (so they still apply in order). Errors roll everything back and
 * propagate: the caller then applies the events one by one.
 */
export async function applyHotBatch(eventIds: string[]): Promise<Map<string, HotResult | null>> {
  const client = await pool().connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{
      id: string;
      status: string;
      type: string;
      payload: Stripe.Event | null;
      objectId: string | null;
    }>({ name: 'hot-path-claim-many', text: CLAIM_MANY, values: [eventIds, [...HOT_TYPES]] });
    const claimed = new Map(rows.map((row) => [row.id, row]));
    const results = new Map<string, HotResult | null>();
    const general = new Set<string>(); // objects handed to the general path
    for (const id of eventIds) {
      if (results.has(id)) continue; // the same event twice in one batch
      const row = claimed.get(id);
      if (!row || row.status === 'processed' || row.status === 'ignored') {
        results.set(id, {
          result: 'skipped',
          type: row?.type ?? 'unknown',
          outcome: 'already applied or in progress',
        });
        continue;
      }
      const object = row.objectId ?? id;
      const prepared = row.payload && !general.has(object) ? preparedOrNull(row.payload) : null;
      const verdict = prepared ? await applySubscriptionStatement(client, id, prepared) : 'general';
      if (!prepared || verdict === 'general') {
        general.add(object);
        results.set(id, null);
        continue;
      }
      const outcome = verdict === 'stale' ? prepared.skipped : prepared.outcome;
      results.set(id, { result: 'processed', type: row.type, outcome });
    }
    await client.query('COMMIT');
    return results;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
