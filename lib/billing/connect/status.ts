import 'server-only';
import { feePercentFor } from '@/lib/billing/connections';
import { db } from '@/lib/db';
import { env } from '@/lib/env';

// What the workspace pages show of a workspace's Stripe account: selected columns only (never
// the encrypted key or secret).

export type ConnectionState = 'none' | 'pending' | 'connected' | 'disconnected';

export interface ConnectionView {
  state: ConnectionState;
  via: 'connect' | 'key' | null;
  accountId: string | null;
  livemode: boolean;
  chargesEnabled: boolean;
  detailsSubmitted: boolean;
  keyHint: string | null;
  disconnectedReason: string | null;
  connectedAt: Date | null;
  applicationFeePercent: number | null;
}

export async function connectionView(workspaceId: string): Promise<ConnectionView> {
  const row = await db.stripeConnection.findUnique({
    where: { workspaceId },
    select: {
      status: true,
      via: true,
      accountId: true,
      livemode: true,
      chargesEnabled: true,
      detailsSubmitted: true,
      keyHint: true,
      disconnectedReason: true,
      connectedAt: true,
      applicationFeePercent: true,
    },
  });
  if (!row)
    return {
      state: 'none',
      via: null,
      accountId: null,
      livemode: false,
      chargesEnabled: false,
      detailsSubmitted: false,
      keyHint: null,
      disconnectedReason: null,
      connectedAt: null,
      applicationFeePercent: null,
    };
  return { ...row, state: row.status, applicationFeePercent: feePercentFor(row) };
}

/** Whether the account moves real money. The emulator is always test mode. */
export function isTestMode(view: Pick<ConnectionView, 'livemode'>): boolean {
  return !view.livemode || Boolean(env().STRIPE_API_URL);
}

/** The header's one-line status, e.g. "Stripe connected (test mode)"; null when never connected. */
export function connectionLabel(view: ConnectionView): string | null {
  const mode = isTestMode(view) ? ' (test mode)' : '';
  switch (view.state) {
    case 'none':
      return null;
    case 'pending':
      return `Stripe onboarding pending${mode}`;
    case 'connected':
      return `Stripe connected${mode}`;
    case 'disconnected':
      return 'Stripe disconnected';
  }
}
