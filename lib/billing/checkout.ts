import 'server-only';
import { z } from 'zod';
import { planForLookupKey } from '@/lib/billing/catalog';
import { type BillingActor, ensureStripeCustomer } from '@/lib/billing/customers';
import { openPortal } from '@/lib/billing/portal';
import { accessOf, FEATURES_WAIT_MS } from '@/lib/billing/entitlements';
import { BillingError } from '@/lib/billing/errors';
import { callStripe } from '@/lib/billing/stripe';
import { liveSubscription, trialAvailable } from '@/lib/billing/subscription-queries';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { membershipOf } from '@/lib/workspaces/current';
import { can } from '@/lib/workspaces/roles';
import { initialSeats } from '@/lib/workspaces/seats';

export const subscriptionCheckoutSchema = z.object({
  lookupKey: z.string().min(1).max(100),
});

/**
 * Start a subscription: a Checkout Session for the plan price with this
 * lookup key (resolved on the server; the browser never sends a price or an
 * amount). A workspace that already has a live subscription goes to the portal.
 */
export async function startSubscriptionCheckout(
  actor: BillingActor,
  lookupKey: string,
): Promise<{ url: string; kind: 'checkout' | 'portal' }> {
  const { workspace, user } = actor;
  const entry = planForLookupKey(lookupKey);
  if (!entry) throw new BillingError(400, 'Unknown plan.');
  if (await liveSubscription(workspace.id)) return { url: await openPortal(workspace.id), kind: 'portal' };

  const customer = await ensureStripeCustomer(actor);
  const prices = await callStripe((s) => s.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 }));
  const price = prices.data[0];
  if (!price?.recurring)
    throw new BillingError(
      503,
      'This plan is not available right now.',
      `no active recurring price with lookup key ${lookupKey} (run npm run stripe:sync)`,
    );

  const trialDays =
    entry.plan.trialDays > 0 && (await trialAvailable(workspace.id, user.id)) ? entry.plan.trialDays : 0;
  // A per-seat plan starts with a seat per member (within the plan's minimum and limit).
  const quantity = await initialSeats(entry.plan, workspace.id);
  // One open subscription checkout per customer: reuse it for the same plan,
  // expire any other, so two tabs can never pay for two subscriptions.
  const open = await callStripe((s) => s.checkout.sessions.list({ customer, status: 'open', limit: 20 }));
  for (const existing of open.data.filter((s) => s.mode === 'subscription')) {
    if (
      existing.metadata?.lookup_key === lookupKey &&
      existing.metadata?.trial_days === String(trialDays) &&
      (existing.metadata?.seats ?? '1') === String(quantity) &&
      existing.url
    )
      return { url: existing.url, kind: 'checkout' };
    await callStripe((s) => s.checkout.sessions.expire(existing.id));
  }

  const appUrl = env().APP_URL;
  const params = {
    mode: 'subscription' as const,
    customer,
    client_reference_id: workspace.id,
    line_items: [{ price: price.id, quantity }],
    allow_promotion_codes: true,
    subscription_data: {
      ...(trialDays > 0 ? { trial_period_days: trialDays } : {}),
      metadata: { workspace_id: workspace.id, plan: entry.plan.key },
    },
    metadata: {
      workspace_id: workspace.id,
      user_id: user.id,
      lookup_key: lookupKey,
      trial_days: String(trialDays),
      ...(quantity > 1 ? { seats: String(quantity) } : {}),
    },
    success_url: `${appUrl}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${appUrl}/pricing?canceled=1`,
  };
  // Concurrent requests in the same minute share one session (Stripe idempotency).
  // A replay returns the session as it was created, so ask Stripe whether it is
  // still open: if it was completed or expired meanwhile, start a fresh one.
  let session = await callStripe((s) =>
    s.checkout.sessions.create(params, {
      idempotencyKey: `subscription-checkout-${workspace.id}-${lookupKey}-${trialDays}-${quantity}-${Math.floor(Date.now() / 60_000)}`,
    }),
  );
  const current = await callStripe((s) => s.checkout.sessions.retrieve(session.id));
  if (current.status !== 'open') session = await callStripe((s) => s.checkout.sessions.create(params));
  if (!session.url) throw new BillingError(502, 'The payment provider did not return a checkout page.');
  return { url: session.url, kind: 'checkout' };
}

export type CheckoutOutcome =
  | { state: 'processing' }
  | { state: 'complete'; planName: string; status: string }
  | { state: 'open' }
  | { state: 'expired' };

/**
 * What the success page shows. It only reads: the subscription counts as
 * recorded once the webhooks have mirrored it past `incomplete` and, while it is
 * live, once the plan's features have arrived too. Stripe sends each as an event
 * of its own, in any order, and the page links straight to those features (this
 * page never writes billing state).
 */
export async function subscriptionCheckoutOutcome(
  userId: string,
  sessionId: string,
): Promise<CheckoutOutcome | null> {
  if (!/^cs_[A-Za-z0-9_]+$/.test(sessionId)) return null;
  const session = await callStripe((s) => s.checkout.sessions.retrieve(sessionId)).catch(() => null);
  // The session names the workspace that paid (not necessarily the one the switcher shows now):
  // only its owners and billing members see the outcome.
  const workspaceId = session?.client_reference_id;
  if (!session || !workspaceId) return null;
  const membership = await membershipOf(userId, workspaceId);
  if (!membership || !can(membership.role, 'billing')) return null;
  if (session.status === 'expired') return { state: 'expired' };
  if (session.status === 'open') return { state: 'open' };
  const subscriptionId =
    typeof session.subscription === 'string' ? session.subscription : session.subscription?.id;
  if (!subscriptionId) return { state: 'processing' };
  const row = await db.subscription.findFirst({
    where: { id: subscriptionId, workspaceId },
    select: { status: true, planKey: true, priceLookupKey: true, createdAt: true },
  });
  if (!row) return { state: 'processing' };
  if (!(await settled(workspaceId, row))) return { state: 'processing' };
  return {
    state: 'complete',
    planName: planForLookupKey(session.metadata?.lookup_key)?.plan.name ?? row.planKey ?? 'your plan',
    status: row.status,
  };
}

/**
 * Whether what the page is about to show is what the user will find: not an `incomplete` row
 * (the Checkout payment went through; the event that makes it active may come after the one
 * that created it), and, once live, the plan's features in place. Bounded in time, in case a
 * catalog was changed at Stripe.
 */
async function settled(
  workspaceId: string,
  row: { status: string; priceLookupKey: string | null; createdAt: Date },
): Promise<boolean> {
  if (Date.now() - row.createdAt.getTime() > FEATURES_WAIT_MS) return true;
  if (row.status === 'incomplete') return false;
  if (row.status !== 'active' && row.status !== 'trialing') return true;
  const features = planForLookupKey(row.priceLookupKey)?.plan.features ?? [];
  if (features.length === 0) return true;
  const { keys } = await accessOf(workspaceId);
  return features.every((feature) => keys.includes(feature));
}
