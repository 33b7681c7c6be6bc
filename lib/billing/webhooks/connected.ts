import 'server-only';
import type Stripe from 'stripe';
import type { Tx } from '@/lib/db';
import { applyInvoicingEvent } from '@/lib/invoicing/events';

// Events of a workspace's own Stripe account (Connect events carrying `account`, or events posted
// to a workspace's own webhook URL). They never touch the platform's mirror: the account's state
// updates its StripeConnection, and everything else goes to invoicing.

export interface ConnectedContext {
  tx: Tx;
  /** The account the event belongs to (acct_…). */
  account: string;
  /** The workspace, when the endpoint named it (a workspace's own URL); else found by the account. */
  workspaceId: string | null;
}

interface Connection {
  id: string;
  workspaceId: string;
  accountId: string;
  via: 'connect' | 'key';
  status: 'pending' | 'connected' | 'disconnected';
  stateAt: Date | null;
  connectedAt: Date | null;
}

/** The connection the event belongs to, locked for this transaction; null when no workspace has the account. */
async function connectionOf(ctx: ConnectedContext): Promise<Connection | null> {
  const rows = ctx.workspaceId
    ? await ctx.tx.$queryRaw<Connection[]>`
        SELECT id, "workspaceId", "accountId", via::text, status::text, "stateAt", "connectedAt"
        FROM "StripeConnection" WHERE "workspaceId" = ${ctx.workspaceId} AND "accountId" = ${ctx.account}
        FOR UPDATE`
    : await ctx.tx.$queryRaw<Connection[]>`
        SELECT id, "workspaceId", "accountId", via::text, status::text, "stateAt", "connectedAt"
        FROM "StripeConnection" WHERE "accountId" = ${ctx.account} AND via = 'connect'
        FOR UPDATE`;
  return rows[0] ?? null;
}

async function accountUpdated(event: Stripe.Event, connection: Connection, tx: Tx): Promise<string> {
  const account = event.data.object as Stripe.Account;
  if (account.id !== connection.accountId) return `ignored: the event is about ${account.id}`;
  const at = new Date(event.created * 1000);
  if (connection.stateAt && at < connection.stateAt)
    return `skipped: older than the state of ${connection.accountId} already applied`;
  const chargesEnabled = account.charges_enabled ?? false;
  const detailsSubmitted = account.details_submitted ?? false;
  // A deauthorized account stays disconnected until the workspace connects again.
  const status =
    connection.status === 'disconnected'
      ? 'disconnected'
      : connection.via === 'key' || detailsSubmitted
        ? 'connected'
        : 'pending';
  await tx.stripeConnection.update({
    where: { id: connection.id },
    data: {
      chargesEnabled,
      detailsSubmitted,
      status,
      stateAt: at,
      connectedAt: status === 'connected' ? (connection.connectedAt ?? at) : connection.connectedAt,
    },
  });
  return `account ${connection.accountId} ${status}, charges ${chargesEnabled ? 'enabled' : 'disabled'}`;
}

async function deauthorized(event: Stripe.Event, connection: Connection, tx: Tx): Promise<string> {
  const at = new Date(event.created * 1000);
  // An authorization older than the current connection does not undo it.
  if (connection.connectedAt && at < connection.connectedAt && connection.status === 'connected')
    return `skipped: ${connection.accountId} was connected after this deauthorization`;
  await tx.stripeConnection.update({
    where: { id: connection.id },
    data: {
      status: 'disconnected',
      chargesEnabled: false,
      disconnectedReason: 'The account disconnected this platform in Stripe.',
      disconnectedAt: at,
      stateAt: at,
    },
  });
  return `account ${connection.accountId} disconnected (deauthorized)`;
}

/** Apply one event of a workspace's own account; a one-line outcome. */
export async function applyConnectedEvent(event: Stripe.Event, ctx: ConnectedContext): Promise<string> {
  const connection = await connectionOf(ctx);
  if (!connection) return `ignored: no workspace is connected to ${ctx.account}`;
  if (event.type === 'account.updated') return accountUpdated(event, connection, ctx.tx);
  if (event.type === 'account.application.deauthorized') return deauthorized(event, connection, ctx.tx);
  return applyInvoicingEvent(event, connection.workspaceId);
}
