import 'server-only';
import { callStripe } from '@/lib/billing/stripe';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { LOCKING_TX, lockAs, refuse, type Outcome } from '@/lib/workspaces/lock';
import { isLiveKey, onboardingUrls, storeConnection } from './shared';

// The first way, Stripe's recommendation for platforms: the platform creates a connected account
// for the workspace and sends the user to Stripe's hosted onboarding (an Account Link). The state
// (details submitted, charges enabled) arrives as account.updated events on the Connect endpoint.

export const ACCOUNT_TYPES = ['standard', 'express'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

interface Actor {
  id: string;
  email: string;
}

/**
 * The Account Link to (continue) onboarding the workspace's connected account, creating the account
 * on first use. A double click creates one account: the create call's idempotency key names the
 * workspace and the connection it replaces.
 */
export async function startOnboarding(
  actor: Actor,
  workspaceId: string,
  type: AccountType,
): Promise<Outcome<{ url: string; accountId: string }>> {
  const { STRIPE_SECRET_KEY } = env();
  if (!STRIPE_SECRET_KEY) return refuse(404, 'Not found.');
  const existing = await db.$transaction(async (tx) => {
    const locked = await lockAs(tx, workspaceId, actor.id, 'billing');
    if ('ok' in locked) return locked;
    return tx.stripeConnection.findUnique({
      where: { workspaceId },
      select: { accountId: true, via: true, status: true, updatedAt: true },
    });
  });
  if (existing && 'ok' in existing) return existing;
  if (existing?.via === 'key' && existing.status !== 'disconnected')
    return refuse(409, 'This workspace is connected with a restricted key. Disconnect it first.');

  let accountId =
    existing?.via === 'connect' && existing.status !== 'disconnected' ? existing.accountId : null;
  if (!accountId) {
    const generation = existing ? existing.updatedAt.getTime() : 'first';
    const account = await callStripe((stripe) =>
      stripe.accounts.create(
        { type, metadata: { tollgate_workspace: workspaceId } },
        { idempotencyKey: `tollgate-connect-account:${workspaceId}:${type}:${generation}` },
      ),
    );
    accountId = account.id;
    const data = {
      accountId,
      via: 'connect' as const,
      livemode: isLiveKey(STRIPE_SECRET_KEY),
      chargesEnabled: account.charges_enabled ?? false,
      detailsSubmitted: account.details_submitted ?? false,
      status: 'pending' as const,
      restrictedKeyCipher: null,
      keyHint: null,
      webhookEndpointId: null,
      webhookSecretCipher: null,
      webhookToken: null,
      disconnectedReason: null,
      connectedAt: null,
      disconnectedAt: null,
      stateAt: null,
    };
    const refused = await db.$transaction(async (tx) => {
      const locked = await lockAs(tx, workspaceId, actor.id, 'billing');
      if ('ok' in locked) return locked;
      const now = await tx.stripeConnection.findUnique({
        where: { workspaceId },
        select: { accountId: true },
      });
      // A concurrent click already stored this very account (the idempotent replay): nothing to do.
      if (now?.accountId === accountId) return null;
      await storeConnection(tx, actor, workspaceId, data, {
        stripeIds: [account.id],
        details: { via: 'connect', type, status: 'pending' },
      });
      return null;
    }, LOCKING_TX);
    if (refused) return refused;
  }
  const { returnUrl, refreshUrl } = onboardingUrls();
  const link = await callStripe((stripe) =>
    stripe.accountLinks.create({
      account: accountId,
      refresh_url: refreshUrl,
      return_url: returnUrl,
      type: 'account_onboarding',
    }),
  );
  return { ok: true, url: link.url, accountId };
}

/** Account Links point at Stripe's hosted onboarding, or at the local emulator's. */
export function isOnboardingUrl(url: string): boolean {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return false;
  }
  const emulator = env().STRIPE_API_URL;
  if (emulator) return origin === new URL(emulator).origin;
  return origin === 'https://connect.stripe.com';
}

/** What Stripe says of the workspace's Connect account now, for the return page (displayed, never written). */
export async function liveAccountState(
  accountId: string,
): Promise<{ detailsSubmitted: boolean; chargesEnabled: boolean } | null> {
  try {
    const account = await callStripe((stripe) => stripe.accounts.retrieve(accountId));
    return {
      detailsSubmitted: account.details_submitted ?? false,
      chargesEnabled: account.charges_enabled ?? false,
    };
  } catch {
    return null;
  }
}
