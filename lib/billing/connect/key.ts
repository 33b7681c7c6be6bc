import 'server-only';
import Stripe from 'stripe';
import { z } from 'zod';
import { keyContext, webhookSecretContext } from '@/lib/billing/connections';
import { stripe } from '@/lib/billing/stripe';
import { decryptSecret, encryptionKeys, EncryptionKeyError, encryptSecret } from '@/lib/crypto/secrets';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { log } from '@/lib/log';
import { LOCKING_TX, lockAs, refuse, type Outcome } from '@/lib/workspaces/lock';
import { removeEndpoint } from './disconnect';
import {
  CONNECTED_EVENTS,
  isLiveKey,
  keyHint,
  newWebhookToken,
  storeConnection,
  workspaceWebhookUrl,
} from './shared';

// The second way: the workspace pastes a restricted key of its own account (the shop platform's
// way). We check it, register a webhook endpoint on that account pointing at the workspace's
// own URL, and keep the key and the endpoint's secret encrypted.

export const restrictedKeySchema = z
  .string()
  .trim()
  .regex(
    /^rk_(test|live)_[0-9A-Za-z_]{8,250}$/,
    'Paste a restricted key: it starts with rk_test_ or rk_live_ (Stripe Dashboard → Developers → API keys).',
  );

interface Actor {
  id: string;
  email: string;
}

/** Why Stripe refused the key, in words a member can act on; null for anything else (a 502). */
function keyProblem(error: unknown, step: 'read' | 'webhook'): string | null {
  if (error instanceof Stripe.errors.StripeAuthenticationError)
    return 'Stripe does not accept this key: it is mistyped, expired or revoked.';
  if (error instanceof Stripe.errors.StripePermissionError)
    return step === 'read'
      ? 'This key cannot read the account. Give the restricted key read access to "Account" (Connect → Accounts).'
      : 'This key cannot create webhook endpoints. Give the restricted key write access to "Webhook Endpoints".';
  return null;
}

export type KeyOutcome = Outcome<{ accountId: string; livemode: boolean }>;

/** Connect the workspace to the account of `key` (a restricted key); replaces any connection it had. */
export async function connectWithKey(actor: Actor, workspaceId: string, key: string): Promise<KeyOutcome> {
  // The right first, before the key reaches Stripe.
  const allowed = await db.$transaction((tx) => lockAs(tx, workspaceId, actor.id, 'billing'));
  if ('ok' in allowed) return allowed;
  // Production without TOLLGATE_ENCRYPTION_KEYS: say so before anything reaches Stripe.
  try {
    encryptionKeys();
  } catch (error) {
    if (!(error instanceof EncryptionKeyError)) throw error;
    log.error('stripe.encryption_keys_missing', { error: error.message });
    return refuse(
      409,
      'This server cannot store Stripe keys yet: its operator must set TOLLGATE_ENCRYPTION_KEYS.',
    );
  }
  const client = stripe({ secretKey: key, apiUrl: env().STRIPE_API_URL });

  let account: Stripe.Account;
  try {
    account = await client.accounts.retrieveCurrent();
  } catch (error) {
    const problem = keyProblem(error, 'read');
    if (problem) return refuse(400, problem);
    throw error;
  }
  const taken = await db.stripeConnection.findUnique({
    where: { accountId: account.id },
    select: { workspaceId: true },
  });
  if (taken && taken.workspaceId !== workspaceId)
    return refuse(409, 'This Stripe account is already connected to another workspace.');

  const token = newWebhookToken();
  let endpoint: Stripe.WebhookEndpoint;
  try {
    endpoint = await client.webhookEndpoints.create({
      url: workspaceWebhookUrl(token),
      enabled_events: [...CONNECTED_EVENTS],
      description: 'Tollgate: this workspace’s invoices',
      metadata: { tollgate_workspace: workspaceId },
    });
  } catch (error) {
    const problem = keyProblem(error, 'webhook');
    if (problem) return refuse(400, problem);
    throw error;
  }
  if (!endpoint.secret) throw new Error(`webhook endpoint ${endpoint.id} came back without its secret`);

  const livemode = isLiveKey(key);
  const data = {
    accountId: account.id,
    via: 'key' as const,
    livemode,
    chargesEnabled: account.charges_enabled ?? false,
    detailsSubmitted: account.details_submitted ?? false,
    status: 'connected' as const,
    restrictedKeyCipher: encryptSecret(key, keyContext(workspaceId)),
    keyHint: keyHint(key),
    webhookEndpointId: endpoint.id,
    webhookSecretCipher: encryptSecret(endpoint.secret, webhookSecretContext(workspaceId)),
    webhookToken: token,
    applicationFeePercent: null,
    disconnectedReason: null,
    stateAt: new Date(),
    connectedAt: new Date(),
    disconnectedAt: null,
  };
  let replaced: Awaited<ReturnType<typeof previousOf>> | 'refused' = null;
  try {
    replaced = await db.$transaction(async (tx) => {
      const locked = await lockAs(tx, workspaceId, actor.id, 'billing');
      if ('ok' in locked) return 'refused' as const;
      const previous = await previousOf(tx, workspaceId);
      await storeConnection(tx, actor, workspaceId, data, {
        stripeIds: [account.id, endpoint.id],
        details: { via: 'key', livemode, key: keyHint(key) },
      });
      return previous;
    }, LOCKING_TX);
  } catch (error) {
    // Another workspace took the account meanwhile (the unique index decides): undo our endpoint.
    await removeEndpoint(client, endpoint.id);
    if (error instanceof Error && /Unique constraint|P2002/.test(error.message))
      return refuse(409, 'This Stripe account is already connected to another workspace.');
    throw error;
  }
  if (replaced === 'refused') {
    await removeEndpoint(client, endpoint.id);
    return refuse(404, 'Not found.');
  }
  // The endpoint of the connection this one replaced (a double submit, or a new key) goes.
  if (replaced?.endpointId && replaced.secretKey && replaced.endpointId !== endpoint.id)
    await removeEndpoint(
      stripe({ secretKey: replaced.secretKey, apiUrl: env().STRIPE_API_URL }),
      replaced.endpointId,
    );
  log.info('stripe.connected', { workspace: workspaceId, account: account.id, via: 'key' });
  return { ok: true, accountId: account.id, livemode };
}

async function previousOf(tx: Parameters<typeof lockAs>[0], workspaceId: string) {
  const row = await tx.stripeConnection.findUnique({
    where: { workspaceId },
    select: { via: true, webhookEndpointId: true, restrictedKeyCipher: true },
  });
  if (!row || row.via !== 'key' || !row.restrictedKeyCipher) return null;
  try {
    return {
      endpointId: row.webhookEndpointId,
      secretKey: decryptSecret(row.restrictedKeyCipher, keyContext(workspaceId)),
    };
  } catch {
    return null;
  }
}
