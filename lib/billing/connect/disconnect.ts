import 'server-only';
import type Stripe from 'stripe';
import { audit } from '@/lib/audit';
import { keyContext } from '@/lib/billing/connections';
import { stripe } from '@/lib/billing/stripe';
import { decryptSecret } from '@/lib/crypto/secrets';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { log } from '@/lib/log';
import { LOCKING_TX, lockAs, type Outcome } from '@/lib/workspaces/lock';

/** Delete a webhook endpoint we registered; a key already revoked or an endpoint already gone is fine. */
export async function removeEndpoint(client: Stripe, endpointId: string): Promise<boolean> {
  try {
    await client.webhookEndpoints.del(endpointId);
    return true;
  } catch (error) {
    log.warn('stripe.endpoint_not_removed', {
      endpoint: endpointId,
      error: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
}

/**
 * Forget the workspace's Stripe account. For a pasted key, the webhook endpoint we registered on
 * the account is deleted where the key still allows it. A Connect account stays in Stripe (the
 * account holder owns it); its later events find no workspace and are ignored.
 */
export async function disconnectStripe(
  actor: { id: string; email: string },
  workspaceId: string,
): Promise<Outcome<{ endpointRemoved: boolean }>> {
  const removed = await db.$transaction(async (tx) => {
    const locked = await lockAs(tx, workspaceId, actor.id, 'billing');
    if ('ok' in locked) return locked;
    const row = await tx.stripeConnection.findUnique({
      where: { workspaceId },
      select: { accountId: true, via: true, webhookEndpointId: true, restrictedKeyCipher: true },
    });
    if (!row) return null;
    await tx.stripeConnection.delete({ where: { workspaceId } });
    await audit(
      {
        actor,
        action: 'stripe.disconnected',
        targetType: 'workspace',
        targetId: workspaceId,
        stripeIds: [row.accountId],
        details: { via: row.via },
      },
      tx,
    );
    return row;
  }, LOCKING_TX);
  if (removed && 'ok' in removed) return removed;
  if (!removed) return { ok: true, endpointRemoved: false };
  let endpointRemoved = false;
  if (removed.via === 'key' && removed.webhookEndpointId && removed.restrictedKeyCipher) {
    let key: string | null = null;
    try {
      key = decryptSecret(removed.restrictedKeyCipher, keyContext(workspaceId));
    } catch {
      key = null;
    }
    if (key)
      endpointRemoved = await removeEndpoint(
        stripe({ secretKey: key, apiUrl: env().STRIPE_API_URL }),
        removed.webhookEndpointId,
      );
  }
  log.info('stripe.disconnected', { workspace: workspaceId, account: removed.accountId, endpointRemoved });
  return { ok: true, endpointRemoved };
}
