import 'server-only';
import { redirect } from 'next/navigation';
import { type CurrentWorkspace, requireWorkspace } from '@/lib/workspaces/current';
import type { CurrentUser } from '@/lib/auth/session';
import { features, planForLookupKey } from '@/lib/billing/catalog';
import { db } from '@/lib/db';
import { env } from '@/lib/env';

export interface Access {
  /** Entitlement lookup keys the workspace's members may use now. */
  keys: string[];
  /** Set while a failed payment is being retried: features stay until then. */
  graceEndsAt: Date | null;
  /** True when the grace period has run out and subscription features are withheld. */
  downgraded: boolean;
}

/**
 * What a workspace's members may use: Stripe's active entitlements (mirrored), except that
 * a subscription past_due for longer than the grace period loses them. "Now"
 * is the customer's Stripe time (see Customer.observedAt), so test clocks move it.
 */
export async function accessOf(workspaceId: string): Promise<Access> {
  const customer = await db.customer.findUnique({
    where: { workspaceId },
    select: { observedAt: true, deleted: true, entitlements: { select: { lookupKey: true } } },
  });
  if (!customer || customer.deleted) return { keys: [], graceEndsAt: null, downgraded: false };
  const pastDue = await db.subscription.findFirst({
    where: { workspaceId, status: 'past_due', pastDueSince: { not: null } },
    orderBy: { pastDueSince: 'asc' },
    select: { pastDueSince: true },
  });
  const keys = customer.entitlements.map((e) => e.lookupKey).sort();
  if (!pastDue?.pastDueSince) return { keys, graceEndsAt: null, downgraded: false };
  const graceEndsAt = new Date(pastDue.pastDueSince.getTime() + env().DUNNING_GRACE_DAYS * 86_400_000);
  const now = Math.max(Date.now(), customer.observedAt?.getTime() ?? 0);
  const downgraded = now >= graceEndsAt.getTime();
  return { keys: downgraded ? [] : keys, graceEndsAt, downgraded };
}

/** How long after a subscription is mirrored its plan's features are awaited (a catalog changed at Stripe). */
export const FEATURES_WAIT_MS = 120_000;

/**
 * Whether the workspace's plan includes `lookupKey` but Stripe's entitlement summary, an event
 * of its own, has not been applied yet: a live subscription mirrored in the last two minutes
 * whose catalog plan lists the feature. Pages then say it is being switched on, not "upgrade".
 * `access`: the workspace's access when the caller has already read it.
 */
export async function featureArriving(
  workspaceId: string,
  lookupKey: string,
  access?: Access,
): Promise<boolean> {
  const recent = await db.subscription.findMany({
    where: {
      workspaceId,
      status: { in: ['active', 'trialing'] },
      createdAt: { gte: new Date(Date.now() - FEATURES_WAIT_MS) },
    },
    select: { priceLookupKey: true },
  });
  if (!recent.some((s) => planForLookupKey(s.priceLookupKey)?.plan.features.includes(lookupKey)))
    return false;
  return !(access ?? (await accessOf(workspaceId))).keys.includes(lookupKey);
}

export async function hasEntitlement(workspaceId: string, lookupKey: string): Promise<boolean> {
  return (await accessOf(workspaceId)).keys.includes(lookupKey);
}

export function featureName(lookupKey: string): string {
  return features.find((f) => f.lookupKey === lookupKey)?.name ?? lookupKey;
}

/**
 * For pages and server actions: anonymous visitors go to sign-in; members of a current
 * workspace without the entitlement go to /upgrade, which explains what is missing and
 * links to pricing. Route handlers use `entitlementDenied` instead.
 */
export async function requireEntitlement(
  lookupKey: string,
  from: string,
): Promise<{ user: CurrentUser; workspace: CurrentWorkspace }> {
  const current = await requireWorkspace('use', from);
  if (!(await hasEntitlement(current.workspace.id, lookupKey)))
    redirect(`/upgrade?feature=${encodeURIComponent(lookupKey)}&from=${encodeURIComponent(from)}`);
  return current;
}

/** The JSON answer for an API route without the entitlement. */
export function entitlementDenied(lookupKey: string): Response {
  return Response.json(
    {
      error: `This requires ${featureName(lookupKey)}, which your plan does not include.`,
      feature: lookupKey,
      pricing_url: `${env().APP_URL}/pricing`,
    },
    { status: 403 },
  );
}
