import 'server-only';
import { randomBytes } from 'node:crypto';
import { audit, type AuditEntry } from '@/lib/audit';
import type { Tx } from '@/lib/db';
import { env } from '@/lib/env';
import type { Prisma } from '@/lib/generated/prisma/client';

// What both ways of connecting a workspace's Stripe account share.

/** The events a workspace's own account sends us: account state, and what invoicing applies. */
export const CONNECTED_EVENTS = [
  'account.updated',
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'charge.succeeded',
  'charge.refunded',
  'charge.refund.updated',
  'charge.dispute.created',
  'charge.dispute.closed',
] as const;

/** The per-workspace webhook URL's secret path segment: 256 random bits. */
export function newWebhookToken(): string {
  return randomBytes(32).toString('base64url');
}

export const WEBHOOK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function workspaceWebhookUrl(token: string): string {
  return new URL(`/api/stripe/webhook/w/${token}`, env().APP_URL).toString();
}

/** Where Account Links send the user back (the settings page shows the state). */
export function onboardingUrls(): { returnUrl: string; refreshUrl: string } {
  const base = env().APP_URL;
  return {
    returnUrl: new URL('/workspace/stripe?onboarding=returned', base).toString(),
    refreshUrl: new URL('/workspace/stripe/refresh', base).toString(),
  };
}

/** The key's prefix and last four characters, so members can tell which one is connected. */
export function keyHint(key: string): string {
  return `${key.slice(0, 8)}…${key.slice(-4)}`;
}

/** The mode of a key by its prefix (rk_test_… / rk_live_…). */
export function isLiveKey(key: string): boolean {
  return /^(sk|rk)_live_/.test(key);
}

/**
 * Store the workspace's connection (either way) and audit `stripe.connected`, in the caller's
 * transaction, which holds the workspace lock.
 */
export async function storeConnection(
  tx: Tx,
  actor: { id: string; email: string },
  workspaceId: string,
  data: Omit<Prisma.StripeConnectionUncheckedCreateInput, 'workspaceId'>,
  record: Pick<AuditEntry, 'stripeIds' | 'details'>,
): Promise<void> {
  await tx.stripeConnection.upsert({
    where: { workspaceId },
    create: { workspaceId, ...data },
    update: data,
  });
  await audit(
    { actor, action: 'stripe.connected', targetType: 'workspace', targetId: workspaceId, ...record },
    tx,
  );
}
