import 'server-only';
import { webhookSecretContext } from '@/lib/billing/connections';
import { WEBHOOK_TOKEN } from '@/lib/billing/connect/shared';
import { decryptSecret } from '@/lib/crypto/secrets';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { log } from '@/lib/log';
import { receiveWebhook } from './receive';

// The two doors for events of workspaces' own accounts; both lead to the one inbox (WebhookEvent,
// deduplicated by event id) with the account and workspace recorded beside the event.

const reply = (status: number, error: string) => Response.json({ error }, { status });

/**
 * POST /api/stripe/webhook/connect: the platform's Connect endpoint. Every event names its
 * connected account; the workspace is the one connected to that account through Connect.
 */
export async function receiveConnectWebhook(request: Request): Promise<Response> {
  const secret = env().STRIPE_CONNECT_WEBHOOK_SECRET;
  if (!secret)
    return reply(503, 'Connect webhook signing secret is not configured (STRIPE_CONNECT_WEBHOOK_SECRET).');
  return receiveWebhook(request, {
    secret,
    ownerOf: async (event) => {
      if (!event.account) return reply(400, 'A Connect event must name its account.');
      const connection = await db.stripeConnection.findUnique({
        where: { accountId: event.account },
        select: { workspaceId: true, via: true },
      });
      return {
        account: event.account,
        workspaceId: connection?.via === 'connect' ? connection.workspaceId : null,
      };
    },
  });
}

/**
 * POST /api/stripe/webhook/w/[token]: a workspace's own endpoint, registered on its account with
 * its restricted key. Verified with that workspace's secret only: a body signed with another
 * workspace's secret is a 400.
 */
export async function receiveWorkspaceWebhook(request: Request, token: string): Promise<Response> {
  if (!WEBHOOK_TOKEN.test(token)) return reply(404, 'Not found.');
  const connection = await db.stripeConnection.findUnique({
    where: { webhookToken: token },
    select: { workspaceId: true, accountId: true, webhookSecretCipher: true },
  });
  if (!connection?.webhookSecretCipher) return reply(404, 'Not found.');
  let secret: string;
  try {
    secret = decryptSecret(connection.webhookSecretCipher, webhookSecretContext(connection.workspaceId));
  } catch (error) {
    // A key missing from TOLLGATE_ENCRYPTION_KEYS: Stripe retries once the operator fixes it.
    log.error('webhook.secret_unreadable', {
      workspace: connection.workspaceId,
      error: error instanceof Error ? error.message : String(error),
    });
    return reply(500, 'The endpoint’s signing secret cannot be read.');
  }
  return receiveWebhook(request, {
    secret,
    ownerOf: async (event) => {
      // An account's own endpoint receives its own events, which carry no `account`.
      if (event.account && event.account !== connection.accountId)
        return reply(400, 'The event belongs to another account.');
      return { account: connection.accountId, workspaceId: connection.workspaceId };
    },
  });
}
