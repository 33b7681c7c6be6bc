import 'server-only';
import type Stripe from 'stripe';
import { BillingError } from '@/lib/billing/errors';
import { stripe } from '@/lib/billing/stripe';
import { decryptSecret } from '@/lib/crypto/secrets';
import { db } from '@/lib/db';
import { env } from '@/lib/env';

// The one resolver from a workspace to its own Stripe account (issue 17, docs/decisions/0033-*).
// Callers get a client bound to the account and never know which way it was connected.

export interface ConnectedAccount {
  workspaceId: string;
  accountId: string;
  via: 'connect' | 'key';
  livemode: boolean;
  chargesEnabled: boolean;
  /** The platform's fee on this account's payments (Connect only), in percent; null = none. */
  applicationFeePercent: number | null;
}

/** The workspace has no connected Stripe account (or it was disconnected). The route decides the status. */
export class StripeNotConfiguredError extends BillingError {
  constructor(status = 409) {
    super(status, 'Stripe is not connected for this workspace');
    this.name = 'StripeNotConfiguredError';
  }
}

/** The associated-data context of a workspace's encrypted restricted key. */
export const keyContext = (workspaceId: string) => `stripe-key:${workspaceId}`;
/** The associated-data context of a workspace's encrypted webhook signing secret. */
export const webhookSecretContext = (workspaceId: string) => `stripe-whsec:${workspaceId}`;

const selection = {
  workspaceId: true,
  accountId: true,
  via: true,
  livemode: true,
  chargesEnabled: true,
  status: true,
  applicationFeePercent: true,
  restrictedKeyCipher: true,
} as const;

type Row = {
  workspaceId: string;
  accountId: string;
  via: 'connect' | 'key';
  livemode: boolean;
  chargesEnabled: boolean;
  applicationFeePercent: { toNumber(): number } | null;
};

/** The fee percent for a Connect account: the back office's override, else the env default. */
export function feePercentFor(row: Pick<Row, 'via' | 'applicationFeePercent'>): number | null {
  if (row.via !== 'connect') return null;
  if (row.applicationFeePercent !== null) return row.applicationFeePercent.toNumber();
  return env().STRIPE_APPLICATION_FEE_PERCENT ?? null;
}

function toConnected(row: Row): ConnectedAccount {
  return {
    workspaceId: row.workspaceId,
    accountId: row.accountId,
    via: row.via,
    livemode: row.livemode,
    chargesEnabled: row.chargesEnabled,
    applicationFeePercent: feePercentFor(row),
  };
}

/** The workspace's connected account, or null when none is connected (pending onboarding or disconnected = null). */
export async function connectedAccountOf(workspaceId: string): Promise<ConnectedAccount | null> {
  const row = await db.stripeConnection.findUnique({ where: { workspaceId }, select: selection });
  if (!row || row.status !== 'connected') return null;
  return toConnected(row);
}

/**
 * A Stripe client bound to the workspace's account: the platform key with Stripe-Account for
 * Connect, or the workspace's decrypted restricted key. Throws StripeNotConfiguredError when the
 * workspace has none. Upstream failures (a revoked key, a deauthorized account) surface from the
 * calls and map to a 502 with a clear message through toBillingError.
 */
export async function stripeFor(workspaceId: string): Promise<{ stripe: Stripe; account: ConnectedAccount }> {
  const row = await db.stripeConnection.findUnique({ where: { workspaceId }, select: selection });
  if (!row || row.status !== 'connected') throw new StripeNotConfiguredError();
  const account = toConnected(row);
  const { STRIPE_SECRET_KEY, STRIPE_API_URL } = env();
  if (row.via === 'connect') {
    // Connect needs the platform's key; without it the platform has no billing at all.
    if (!STRIPE_SECRET_KEY) throw new StripeNotConfiguredError();
    return {
      stripe: stripe({ secretKey: STRIPE_SECRET_KEY, apiUrl: STRIPE_API_URL, stripeAccount: row.accountId }),
      account,
    };
  }
  if (!row.restrictedKeyCipher) throw new StripeNotConfiguredError();
  const secretKey = decryptSecret(row.restrictedKeyCipher, keyContext(workspaceId));
  return { stripe: stripe({ secretKey, apiUrl: STRIPE_API_URL }), account };
}
