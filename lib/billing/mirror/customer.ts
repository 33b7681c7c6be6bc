import type Stripe from 'stripe';
import type { Tx } from '@/lib/db';
import type { HandlerContext } from '@/lib/billing/mirror/context';
import { env } from '@/lib/env';
import { freshness, isMissing, later, lockObject } from './guard';

export interface MirroredCustomer {
  id: string;
  /** The billing owner. */
  workspaceId: string;
  /** Deleted at Stripe: nothing of it may come back to life. */
  deleted: boolean;
}

/**
 * Stripe time at most this far ahead of ours changes no decision (grace
 * periods are days): such times are not written. Real events are never ahead
 * of us, so the hot path writes nothing; test clocks run days ahead.
 */
export const OBSERVE_AHEAD_MS = 60_000;

/**
 * Record the newest Stripe time seen for this customer (see Customer.observedAt)
 * when it runs ahead of ours: readers take the later of it and the wall clock,
 * so a time behind ours would change nothing. When that time passes a past_due
 * subscription's grace end (a test clock jumps ahead), its downgrade job is
 * made due now, in the same statement. `known` is the stored value, if read.
 */
export async function observeCustomerTime(
  tx: Tx,
  customerId: string,
  at: Date,
  known?: Date | null,
): Promise<void> {
  if (at.getTime() <= Date.now() + OBSERVE_AHEAD_MS) return;
  if (known && known.getTime() >= at.getTime()) return;
  // Only when it moves forward.
  await tx.$executeRaw`
    WITH moved AS (
      UPDATE "Customer" SET "observedAt" = ${at} WHERE id = ${customerId} AND ("observedAt" IS NULL OR "observedAt" < ${at})
      RETURNING "workspaceId")
    SELECT graphile_worker.add_job('dunning_downgrade', json_build_object('subscriptionId', s.id), job_key := 'dunning:' || s.id)
    FROM "Subscription" s JOIN moved ON s."workspaceId" = moved."workspaceId"
    WHERE s.status = 'past_due' AND s."pastDueSince" + make_interval(days => ${env().DUNNING_GRACE_DAYS}::int) <= ${at}`;
}

type RowLock = 'share' | 'update';

/**
 * The workspace a Stripe object's metadata names: `workspace_id`, or, for customers made before
 * workspaces owned billing, `user_id`, which means that user's personal workspace.
 */
export async function workspaceOfMetadata(
  tx: Tx,
  metadata: Record<string, string> | null | undefined,
): Promise<string | null> {
  const workspaceId = metadata?.workspace_id;
  if (workspaceId) return workspaceId;
  const userId = metadata?.user_id;
  if (!userId) return null;
  const personal = await tx.workspace.findUnique({ where: { personalOfId: userId }, select: { id: true } });
  return personal?.id ?? null;
}

/**
 * Lock the customer row (step 3 of the lock order in guard.ts) and read it.
 * Events that only read the row share it, so one customer's events apply
 * concurrently; a writer of the row (its own events, entitlements, deletion)
 * takes it exclusively and waits for them, and they for it.
 */
async function lockCustomerRow(
  tx: Tx,
  customerId: string,
  lock: RowLock = 'update',
): Promise<(MirroredCustomer & { observedAt: Date | null }) | null> {
  const rows =
    lock === 'share'
      ? await tx.$queryRaw<Array<MirroredCustomer & { observedAt: Date | null }>>`
          SELECT id, "workspaceId", deleted, "observedAt" FROM "Customer" WHERE id = ${customerId} FOR SHARE`
      : await tx.$queryRaw<Array<MirroredCustomer & { observedAt: Date | null }>>`
          SELECT id, "workspaceId", deleted, "observedAt" FROM "Customer" WHERE id = ${customerId} FOR NO KEY UPDATE`;
  return rows[0] ?? null;
}

/**
 * The mirrored customer, created from Stripe when this is the first event seen
 * for it, with its row locked for the rest of the transaction (so a deletion
 * and this event apply one after the other): shared by default, exclusively
 * with `{ write: true }` for a handler that updates the Customer row. Returns
 * null when the Stripe customer belongs to no Tollgate workspace (created outside
 * the app) or was deleted before we ever saw it: such events are acknowledged
 * and ignored.
 */
export async function ensureMirroredCustomer(
  ctx: HandlerContext,
  customerId: string,
  options: { write?: boolean } = {},
): Promise<MirroredCustomer | null> {
  // An event ahead of our clock may write observedAt (observeCustomerTime): it takes the row
  // exclusively at once, since two events upgrading their shared locks would deadlock (40P01).
  const ahead = ctx.eventAt.getTime() > Date.now() + OBSERVE_AHEAD_MS;
  const lock: RowLock = options.write || ahead ? 'update' : 'share';
  const existing = await lockCustomerRow(ctx.tx, customerId, lock);
  if (existing) {
    await observeCustomerTime(ctx.tx, customerId, ctx.eventAt, existing.observedAt);
    return { id: existing.id, workspaceId: existing.workspaceId, deleted: existing.deleted };
  }
  const fetched = await ctx.stripe.customers.retrieve(customerId).catch((error: unknown) => {
    if (isMissing(error)) return null;
    throw error;
  });
  if (!fetched || ('deleted' in fetched && fetched.deleted)) return null;
  const workspaceId = await workspaceOfMetadata(ctx.tx, fetched.metadata);
  if (!workspaceId) return null;
  const workspace = await ctx.tx.workspace.findUnique({
    where: { id: workspaceId },
    select: { id: true, customer: { select: { id: true } } },
  });
  // One Stripe customer per workspace: a second one (say, made in the dashboard) is not mirrored.
  if (!workspace || (workspace.customer && workspace.customer.id !== customerId)) return null;
  await lockObject(ctx.tx, customerId);
  await ctx.tx.customer.upsert({
    where: { id: customerId },
    create: {
      id: customerId,
      workspaceId,
      email: fetched.email,
      livemode: fetched.livemode,
      lastEventAt: ctx.eventAt,
      // Written only when ahead of ours (see observeCustomerTime), so the row is the same whichever event came first.
      observedAt: ctx.eventAt.getTime() > Date.now() + OBSERVE_AHEAD_MS ? ctx.eventAt : null,
    },
    update: {},
    select: { id: true },
  });
  // Another event may have created the row meanwhile: still record this event's time.
  await observeCustomerTime(ctx.tx, customerId, ctx.eventAt);
  const created = await lockCustomerRow(ctx.tx, customerId, lock);
  return created && { id: created.id, workspaceId: created.workspaceId, deleted: created.deleted };
}

/**
 * A customer deleted at Stripe: a tombstone. Its subscriptions end (Stripe
 * cancels them), its entitlements and access go, and the stamps move to the
 * deletion so no late event brings anything back.
 */
export async function markCustomerDeleted(ctx: HandlerContext, customerId: string): Promise<boolean> {
  const row = await lockCustomerRow(ctx.tx, customerId);
  if (!row) return false;
  const stored = await ctx.tx.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: { lastEventAt: true, observedAt: true, entitlementsAt: true },
  });
  await ctx.tx.customer.update({
    where: { id: customerId },
    data: {
      deleted: true,
      lastEventAt: later(stored.lastEventAt, ctx.eventAt),
      observedAt: later(stored.observedAt, ctx.eventAt),
      entitlementsAt: later(stored.entitlementsAt, ctx.eventAt),
    },
  });
  await ctx.tx.$executeRaw`
    UPDATE "Subscription" SET status = 'canceled',
      "canceledAt" = COALESCE("canceledAt", ${ctx.eventAt}), "endedAt" = COALESCE("endedAt", ${ctx.eventAt}),
      "cancelAtPeriodEnd" = false, "pastDueSince" = NULL,
      "lastEventAt" = GREATEST("lastEventAt", ${ctx.eventAt}), "updatedAt" = now()
    WHERE "customerId" = ${customerId} AND status NOT IN ('canceled', 'incomplete_expired')`;
  await ctx.tx.entitlement.deleteMany({ where: { customerId } });
  return true;
}

/**
 * `customer.created` / `updated` / `deleted`. The event type is the fact for a
 * deletion: `customer.deleted` carries the whole Customer, not `{deleted: true}`.
 */
export async function applyCustomer(
  ctx: HandlerContext,
  customer: Stripe.Customer | Stripe.DeletedCustomer,
  deletedEvent = false,
): Promise<string> {
  if (typeof customer?.id !== 'string') return 'ignored customer event without an id';
  await lockObject(ctx.tx, customer.id);
  if (deletedEvent || ('deleted' in customer && customer.deleted)) {
    return (await markCustomerDeleted(ctx, customer.id))
      ? `customer ${customer.id} deleted`
      : `ignored deletion of customer ${customer.id}: not mirrored`;
  }
  const stored = await ctx.tx.customer.findUnique({
    where: { id: customer.id },
    select: { lastEventAt: true },
  });
  const mirrored = await ensureMirroredCustomer(ctx, customer.id, { write: true });
  if (!mirrored) return `ignored customer ${customer.id}: not linked to a Tollgate workspace`;
  if (mirrored.deleted) return `skipped customer ${customer.id}: deleted`;
  const fresh = freshness(stored?.lastEventAt, ctx.eventAt);
  if (fresh === 'stale') return `skipped customer ${customer.id}: older than stored`;
  const current =
    fresh === 'tie'
      ? await ctx.stripe.customers.retrieve(customer.id).catch((error: unknown) => {
          if (isMissing(error))
            return { id: customer.id, object: 'customer' as const, deleted: true as const };
          throw error;
        })
      : customer;
  if ('deleted' in current && current.deleted) {
    await markCustomerDeleted(ctx, customer.id);
    return `customer ${customer.id} deleted`;
  }
  await ctx.tx.customer.update({
    where: { id: customer.id },
    data: {
      ...('email' in current ? { email: current.email } : {}),
      lastEventAt: later(stored?.lastEventAt, ctx.eventAt),
    },
  });
  return `customer ${customer.id} updated`;
}
