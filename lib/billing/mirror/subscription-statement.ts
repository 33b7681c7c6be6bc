import type pg from 'pg';
import type Stripe from 'stripe';
import { planForLookupKey } from '@/lib/billing/catalog';
import { idOf } from '@/lib/billing/ids';
import { OBSERVE_AHEAD_MS } from './customer';
import { planItem } from './subscription-items';

// The common subscription event (ADR 0037) as one statement on a plain pg
// connection, the same writes applySubscription makes: the guard, the customer
// row FOR SHARE, the row, its item snapshot, the spent trial and the inbox row.
// The caller holds the subscription's advisory lock (step 1 of the lock order,
// guard.ts), taken in an earlier statement so this one's snapshot starts after
// it. Whatever needs more than that (a same-second tie that re-reads Stripe, an
// unseen or deleted customer, a new past_due episode, a per-seat plan, a
// truncated item list, a test clock ahead of ours) answers 'general', writes
// nothing, and the caller rolls back and runs applySubscription instead.

export type SubscriptionVerdict = 'apply' | 'stale' | 'general';

export interface PreparedSubscription {
  params: unknown[];
  /** The handler's one-line outcome when the event is applied. */
  outcome: string;
  skipped: string;
}

const seconds = (value: number | null | undefined) => (value == null ? null : value);

/** The statement's parameters, or null when the event needs the general path whatever is stored. */
export function prepareSubscription(event: Stripe.Event, now = Date.now()): PreparedSubscription | null {
  const subscription = event.data.object as Stripe.Subscription;
  if (subscription?.object !== 'subscription' || typeof subscription.id !== 'string') return null;
  const customerId = idOf(subscription.customer);
  // An event ahead of our clock may write the customer's observedAt (an exclusive row lock).
  if (!customerId || event.created * 1000 > now + OBSERVE_AHEAD_MS) return null;
  const items = subscription.items;
  if (!items || items.has_more || !Array.isArray(items.data) || items.data.length === 0) return null;
  if (new Set(items.data.map((item) => item.id)).size !== items.data.length) return null;
  const item = planItem(items.data);
  if (!item) return null;
  const price = item.price;
  const plan = planForLookupKey(price.lookup_key);
  // A per-seat plan's quantity follows the members (subscriptionMirrored), on the general path.
  if (plan?.plan.perSeat) return null;
  const status = subscription.status;
  return {
    outcome: `subscription ${subscription.id} now ${status}${subscription.cancel_at_period_end ? ' (cancels at period end)' : ''}`,
    skipped: `skipped subscription ${subscription.id}: event older than stored`,
    params: [
      subscription.id,
      customerId,
      event.created,
      status,
      price.id,
      price.lookup_key ?? null,
      idOf(price.product) ?? '',
      plan?.plan.key ?? null,
      price.recurring?.interval ?? null,
      item.quantity ?? 1,
      seconds(item.current_period_start),
      seconds(item.current_period_end),
      subscription.cancel_at_period_end,
      seconds(subscription.cancel_at),
      seconds(subscription.canceled_at),
      seconds(subscription.ended_at),
      seconds(subscription.trial_start),
      seconds(subscription.trial_end),
      idOf(subscription.latest_invoice),
      subscription.livemode,
      subscription.created,
      items.data.map((i) => i.id),
      items.data.map((i) => i.price.id),
      items.data.map((i) => i.price.lookup_key ?? null),
      items.data.map((i) => idOf(i.price.product) ?? ''),
      items.data.map((i) => i.quantity ?? 1),
      items.data.map((i) => seconds(i.current_period_start)),
      items.data.map((i) => seconds(i.current_period_end)),
      items.data.map((i) => i.created),
    ],
  };
}

const ts = (n: number) => `(to_timestamp($${n}::float8) AT TIME ZONE 'UTC')`;

// $1 id, $2 customer, $3 event time, $4 status … $21 created, $22–$29 the items, $30 event id,
// $31 outcome, $32 skipped outcome. Data-modifying CTEs run even when nothing reads them; each is
// conditioned on the verdict. The verdict reads `owner` first, so the customer row is locked
// before any row of the subscription is written (lock order, guard.ts).
const APPLY_SUBSCRIPTION = `
WITH stored AS MATERIALIZED (
  SELECT status, "pastDueSince", "lastEventAt" FROM "Subscription" WHERE id = $1
), owner AS MATERIALIZED (
  SELECT "workspaceId", deleted FROM "Customer" WHERE id = $2 FOR SHARE
), decided AS MATERIALIZED (
  SELECT CASE
      WHEN s."lastEventAt" > e.at THEN 'stale'
      WHEN s."lastEventAt" = e.at OR o."workspaceId" IS NULL OR o.deleted THEN 'general'
      WHEN p.since IS NOT NULL AND p.since IS DISTINCT FROM s."pastDueSince" THEN 'general'
      ELSE 'apply' END AS verdict,
    o."workspaceId", p.since, e.at
  FROM (SELECT ${ts(3)} AS at) e
  LEFT JOIN stored s ON true
  LEFT JOIN owner o ON true
  CROSS JOIN LATERAL (SELECT CASE WHEN $4 = 'past_due' THEN
      CASE WHEN s.status = 'past_due' AND s."pastDueSince" IS NOT NULL THEN s."pastDueSince" ELSE ${ts(11)} END
    END AS since) p
), sub AS (
  INSERT INTO "Subscription" AS t (id, "customerId", "workspaceId", status, "priceId", "priceLookupKey",
    "productId", "planKey", interval, quantity, "currentPeriodStart", "currentPeriodEnd", "cancelAtPeriodEnd",
    "cancelAt", "canceledAt", "endedAt", "trialStart", "trialEnd", "pastDueSince", "latestInvoiceId",
    livemode, "stripeCreated", "lastEventAt", "updatedAt")
  SELECT $1, $2, d."workspaceId", $4::"SubscriptionStatus", $5, $6, $7, $8, $9, $10, ${ts(11)}, ${ts(12)},
    $13, ${ts(14)}, ${ts(15)}, ${ts(16)}, ${ts(17)}, ${ts(18)}, d.since, $19, $20, ${ts(21)}, d.at,
    now() AT TIME ZONE 'UTC'
  FROM decided d WHERE d.verdict = 'apply'
  ON CONFLICT (id) DO UPDATE SET "customerId" = EXCLUDED."customerId", "workspaceId" = EXCLUDED."workspaceId",
    status = EXCLUDED.status, "priceId" = EXCLUDED."priceId", "priceLookupKey" = EXCLUDED."priceLookupKey",
    "productId" = EXCLUDED."productId", "planKey" = EXCLUDED."planKey", interval = EXCLUDED.interval,
    quantity = EXCLUDED.quantity, "currentPeriodStart" = EXCLUDED."currentPeriodStart",
    "currentPeriodEnd" = EXCLUDED."currentPeriodEnd", "cancelAtPeriodEnd" = EXCLUDED."cancelAtPeriodEnd",
    "cancelAt" = EXCLUDED."cancelAt", "canceledAt" = EXCLUDED."canceledAt", "endedAt" = EXCLUDED."endedAt",
    "trialStart" = EXCLUDED."trialStart", "trialEnd" = EXCLUDED."trialEnd",
    "pastDueSince" = EXCLUDED."pastDueSince", "latestInvoiceId" = EXCLUDED."latestInvoiceId",
    livemode = EXCLUDED.livemode, "stripeCreated" = EXCLUDED."stripeCreated",
    "lastEventAt" = EXCLUDED."lastEventAt", "updatedAt" = EXCLUDED."updatedAt"
), gone AS (
  DELETE FROM "SubscriptionItem" WHERE "subscriptionId" = $1 AND id <> ALL($22::text[])
    AND EXISTS (SELECT 1 FROM decided WHERE verdict = 'apply')
), items AS (
  INSERT INTO "SubscriptionItem" AS t (id, "subscriptionId", "priceId", "priceLookupKey", "productId", quantity,
    "currentPeriodStart", "currentPeriodEnd", "stripeCreated")
  SELECT i.id, $1, i.price, i.lookup, i.product, i.quantity, to_timestamp(i.starts) AT TIME ZONE 'UTC',
    to_timestamp(i.ends) AT TIME ZONE 'UTC', to_timestamp(i.created) AT TIME ZONE 'UTC'
  FROM unnest($22::text[], $23::text[], $24::text[], $25::text[], $26::int[], $27::float8[], $28::float8[],
    $29::float8[]) AS i(id, price, lookup, product, quantity, starts, ends, created)
  WHERE EXISTS (SELECT 1 FROM decided WHERE verdict = 'apply')
  ON CONFLICT (id) DO UPDATE SET "subscriptionId" = EXCLUDED."subscriptionId", "priceId" = EXCLUDED."priceId",
    "priceLookupKey" = EXCLUDED."priceLookupKey", "productId" = EXCLUDED."productId",
    quantity = EXCLUDED.quantity, "currentPeriodStart" = EXCLUDED."currentPeriodStart",
    "currentPeriodEnd" = EXCLUDED."currentPeriodEnd", "stripeCreated" = EXCLUDED."stripeCreated"
), trial AS (
  UPDATE "Workspace" SET "trialUsedAt" = ${ts(17)}, "updatedAt" = now() AT TIME ZONE 'UTC'
  WHERE id = (SELECT "workspaceId" FROM decided WHERE verdict = 'apply')
    AND "trialUsedAt" IS NULL AND $17::float8 IS NOT NULL
), marked AS (
  UPDATE "WebhookEvent" w SET status = 'processed',
    outcome = CASE WHEN d.verdict = 'stale' THEN $32 ELSE $31 END, error = NULL,
    "processedAt" = clock_timestamp() AT TIME ZONE 'UTC', attempts = w.attempts + 1
  FROM decided d WHERE w.id = $30 AND d.verdict <> 'general'
)
SELECT verdict FROM decided`;

/** Run the statement for a claimed event (its row and its subscription's lock held). */
export async function applySubscriptionStatement(
  client: pg.PoolClient,
  eventId: string,
  prepared: PreparedSubscription,
): Promise<SubscriptionVerdict> {
  // Named: each connection parses and plans it once, and later runs send only the values.
  const { rows } = await client.query<{ verdict: SubscriptionVerdict }>({
    name: 'hot-path-subscription',
    text: APPLY_SUBSCRIPTION,
    values: [...prepared.params, eventId, prepared.outcome, prepared.skipped],
  });
  return rows[0]?.verdict ?? 'general';
}
