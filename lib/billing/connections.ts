import 'server-only';
import type Stripe from 'stripe';
import { BillingError } from '@/lib/billing/errors';
import { stripe } from '@/lib/billing/stripe';

// TEMPORARY STUB of connect-app's seam (lib/billing/connections.ts), so the invoicing branch
// builds and tests before that branch lands; deleted when main brings the real one. Same exports
// and shapes. A workspace counts as connected once `connectForTests` named it, and its client is
// the platform's (the emulator's default account).

export interface ConnectedAccount {
  workspaceId: string;
  accountId: string;
  via: 'connect' | 'key';
  livemode: boolean;
  chargesEnabled: boolean;
  applicationFeePercent: number | null;
}

export class StripeNotConfiguredError extends BillingError {
  constructor() {
    super(404, 'Stripe is not connected for this workspace');
  }
}

const connected = new Map<string, ConnectedAccount>();

export function connectForTests(account: ConnectedAccount): void {
  connected.set(account.workspaceId, account);
}

export async function connectedAccountOf(workspaceId: string): Promise<ConnectedAccount | null> {
  return connected.get(workspaceId) ?? null;
}

export async function stripeFor(workspaceId: string): Promise<{ stripe: Stripe; account: ConnectedAccount }> {
  const account = await connectedAccountOf(workspaceId);
  if (!account) throw new StripeNotConfiguredError();
  return { stripe: stripe(), account };
}
