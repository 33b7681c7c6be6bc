import 'server-only';
import type Stripe from 'stripe';
import {
  billedSeats,
  planForLookupKey,
  plans,
  seatRulesOf,
  type Plan,
  type SeatProration,
} from '@/lib/billing/catalog';
import { stripe as stripeClient } from '@/lib/billing/stripe';
import { LIVE_STATUSES } from '@/lib/billing/subscription-queries';
import { db, type Tx } from '@/lib/db';
import { billingEnabled } from '@/lib/env';
import { addJob } from '@/lib/jobs/enqueue';

// Seats: a per-seat plan's subscription quantity follows the workspace's member count
// (docs/decisions/0028-seat-sync.md). A membership change bumps the workspace's seatVersion and
// schedules one `sync_seats` job per workspace (a job key, so a burst of joins coalesces; a queue
// per workspace, so runs never overlap). The job reads the member count when it runs, so the last
// run always sees the last change, and sends Stripe one update with an idempotency key that
// names the change: retries replay, they never bill twice.

export const SEAT_SYNC_TASK = 'sync_seats';

export const seatJobKey = (workspaceId: string) => `seats:${workspaceId}`;

/** Schedule the seat sync inside the caller's transaction: it runs once that commits. */
export async function scheduleSeatSync(tx: Tx, workspaceId: string): Promise<void> {
  if (!billingEnabled()) return;
  await addJob(
    tx,
    SEAT_SYNC_TASK,
    { workspaceId },
    { jobKey: seatJobKey(workspaceId), queue: seatJobKey(workspaceId), maxAttempts: 12 },
  );
}

/**
 * Call inside the transaction that adds or removes a member: it schedules the seat sync for the
 * workspace, which runs after the commit and sets the subscription quantity to the member count.
 * It locks the workspace row until the commit, so membership changes of one workspace apply one
 * after the other.
 */
export async function membershipChanged(tx: Tx, workspaceId: string): Promise<void> {
  await tx.$executeRaw`UPDATE "Workspace" SET "seatVersion" = "seatVersion" + 1 WHERE id = ${workspaceId}`;
  await scheduleSeatSync(tx, workspaceId);
}

export interface SeatSubscription {
  id: string;
  customerId: string;
  quantity: number;
  priceLookupKey: string | null;
  plan: Plan;
  rules: NonNullable<ReturnType<typeof seatRulesOf>>;
}

/** The workspace's live subscription if its plan is per seat, else null. */
export async function seatSubscription(
  workspaceId: string,
  client: Tx = db,
): Promise<SeatSubscription | null> {
  const row = await client.subscription.findFirst({
    where: { workspaceId, status: { in: LIVE_STATUSES } },
    orderBy: { stripeCreated: 'desc' },
    select: { id: true, customerId: true, quantity: true, priceLookupKey: true },
  });
  const plan = planForLookupKey(row?.priceLookupKey)?.plan;
  const rules = seatRulesOf(plan);
  return row && plan && rules ? { ...row, plan, rules } : null;
}

/** Members and the membership version, read together. */
export async function memberCount(
  workspaceId: string,
  client: Tx = db,
): Promise<{ members: number; version: number }> {
  const [row] = await client.$queryRaw<Array<{ members: number; version: number }>>`
    SELECT (SELECT count(*)::int FROM "Membership" WHERE "workspaceId" = w.id) AS members,
           w."seatVersion" AS version
    FROM "Workspace" w WHERE w.id = ${workspaceId}`;
  return row ?? { members: 0, version: 0 };
}

/**
 * True when a per-seat plan allows no further member: members (plus open invitations when
 * inviting) already fill maxSeats. Pass the acceptance's transaction as `tx`: the workspace row is
 * then locked until it commits, so concurrent acceptances check one after the other.
 */
export async function seatLimitReached(
  workspaceId: string,
  options: { tx?: Tx; for?: 'accept' | 'invite' } = {},
): Promise<boolean> {
  const client = options.tx ?? db;
  if (options.tx)
    await options.tx.$executeRaw`SELECT 1 FROM "Workspace" WHERE id = ${workspaceId} FOR NO KEY UPDATE`;
  const subscription = await seatSubscription(workspaceId, client);
  const limit = subscription?.rules.maxSeats ?? null;
  if (limit === null) return false;
  const { members } = await memberCount(workspaceId, client);
  const invited =
    options.for === 'invite'
      ? await client.invitation.count({
          where: { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        })
      : 0;
  return members + invited >= limit;
}

const SYNCED_STATUSES = new Set<Stripe.Subscription.Status>(['active', 'trialing', 'past_due']);

/**
 * From the mirror, after it stored a subscription: a per-seat one whose quantity differs from its
 * workspace's billed seats (a switch to a per-seat plan in the portal, a checkout started before
 * someone joined) gets a seat sync.
 */
export async function subscriptionMirrored(tx: Tx, subscriptionId: string): Promise<void> {
  const [row] = await tx.$queryRaw<
    Array<{
      workspaceId: string | null;
      status: string;
      lookupKey: string | null;
      quantity: number;
      members: number;
    }>
  >`
    SELECT s."workspaceId", s.status::text AS status, s."priceLookupKey" AS "lookupKey", s.quantity,
           (SELECT count(*)::int FROM "Membership" m WHERE m."workspaceId" = s."workspaceId") AS members
    FROM "Subscription" s WHERE s.id = ${subscriptionId}`;
  if (!row?.workspaceId || !SYNCED_STATUSES.has(row.status as Stripe.Subscription.Status)) return;
  const rules = seatRulesOf(planForLookupKey(row.lookupKey)?.plan);
  if (rules && billedSeats(row.members, rules) !== row.quantity) await scheduleSeatSync(tx, row.workspaceId);
}

export interface SeatChange {
  subscriptionId: string;
  itemId: string;
  from: number;
  to: number;
  version: number;
  proration: SeatProration;
}

/**
 * One quantity update. The idempotency key names the change (from, to, membership version): the
 * SDK's network retries and a re-run of the same job replay it, while the same quantity reached
 * again after a leave is a new change.
 */
export async function pushSeatQuantity(client: Stripe, change: SeatChange): Promise<Stripe.Subscription> {
  return client.subscriptions.update(
    change.subscriptionId,
    { items: [{ id: change.itemId, quantity: change.to }], proration_behavior: change.proration },
    {
      idempotencyKey: `seats-${change.subscriptionId}-${change.from}-${change.to}-v${change.version}`,
    },
  );
}

function seatItem(subscription: Stripe.Subscription, lookupKey: string | null) {
  const items = subscription.items.data;
  return items.find((item) => item.price.lookup_key === lookupKey) ?? (items.length === 1 ? items[0] : null);
}

/**
 * The `sync_seats` job: sets the per-seat subscription's quantity to the member count (within
 * minSeats..maxSeats). Runs under a per-workspace advisory lock as well as on its own queue, and
 * reads Stripe's subscription (not the mirror, which may lag) before deciding.
 */
export async function syncSeats(workspaceId: string, client: Stripe = stripeClient()): Promise<string> {
  if (!billingEnabled()) return 'billing is off';
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${seatJobKey(workspaceId)}))`;
      const subscription = await seatSubscription(workspaceId, tx);
      if (!subscription) return 'no per-seat subscription';
      const { members, version } = await memberCount(workspaceId, tx);
      const target = billedSeats(members, subscription.rules);
      const remote = await client.subscriptions.retrieve(subscription.id);
      // Not while it is incomplete, unpaid or paused: a quantity change would bill an unsettled subscription.
      if (!SYNCED_STATUSES.has(remote.status)) return `subscription ${remote.id} is ${remote.status}`;
      const item = seatItem(remote, subscription.priceLookupKey);
      if (!item) return `subscription ${remote.id} has no seat item`;
      const from = item.quantity ?? 1;
      if (from === target) return `${remote.id} already has ${target} seats`;
      await pushSeatQuantity(client, {
        subscriptionId: remote.id,
        itemId: item.id,
        from,
        to: target,
        version,
        proration: subscription.rules.proration,
      });
      return `${remote.id} seats ${from} → ${target}`;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/**
 * For reconcile: every workspace whose mirrored per-seat quantity differs from its billed seats
 * gets a seat sync (the same job, so it is as safe as one a membership change scheduled).
 */
export async function repairSeatQuantities(): Promise<string[]> {
  const lookupKeys = plans
    .filter((plan) => plan.perSeat)
    .flatMap((plan) => [plan.prices.month.lookupKey, plan.prices.year.lookupKey]);
  if (!lookupKeys.length || !billingEnabled()) return [];
  const rows = await db.$queryRaw<
    Array<{ workspaceId: string; id: string; lookupKey: string; quantity: number; members: number }>
  >`
    SELECT s."workspaceId", s.id, s."priceLookupKey" AS "lookupKey", s.quantity,
           (SELECT count(*)::int FROM "Membership" m WHERE m."workspaceId" = s."workspaceId") AS members
    FROM "Subscription" s
    WHERE s.status::text = ANY(${LIVE_STATUSES}::text[])
      AND s."priceLookupKey" = ANY(${lookupKeys}::text[])
      AND s."workspaceId" IS NOT NULL AND NOT s.sample`;
  const repairs: string[] = [];
  for (const row of rows) {
    const rules = seatRulesOf(planForLookupKey(row.lookupKey)?.plan);
    if (!rules) continue;
    const target = billedSeats(row.members, rules);
    if (row.quantity === target) continue;
    await db.$transaction((tx) => scheduleSeatSync(tx, row.workspaceId));
    repairs.push(`seats of ${row.id}: ${row.quantity} billed, ${target} expected (sync queued)`);
  }
  return repairs;
}

/**
 * The quantity a new subscription to `plan` for the workspace starts with: 1 for a flat plan, the
 * member count (within minSeats..maxSeats) for a per-seat one.
 */
export async function initialSeats(plan: Plan, workspaceId: string): Promise<number> {
  const rules = seatRulesOf(plan);
  if (!rules) return 1;
  return billedSeats((await memberCount(workspaceId)).members, rules);
}
