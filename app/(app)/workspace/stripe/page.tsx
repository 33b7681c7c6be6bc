import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { InlineForm } from '@/components/workspaces/forms';
import { ConnectKeyForm, StartConnectForm } from '@/components/workspaces/stripe-forms';
import { liveAccountState } from '@/lib/billing/connect/onboard';
import { connectionLabel, connectionView, isTestMode } from '@/lib/billing/connect/status';
import { billingEnabled } from '@/lib/env';
import { formatDate } from '@/lib/format';
import { requireWorkspace } from '@/lib/workspaces/current';
import { connectKeyAction, disconnectStripeAction, startConnectAction } from './actions';

export const metadata: Metadata = { title: 'Stripe' };

// Settings → Stripe: the workspace's own Stripe account, for invoicing its clients. Owners and
// billing members only (anyone else gets a 404).
export default async function WorkspaceStripePage({
  searchParams,
}: {
  searchParams: Promise<{ onboarding?: string }>;
}) {
  const { workspace } = await requireWorkspace('billing', '/workspace/stripe');
  const view = await connectionView(workspace.id);
  const returned = (await searchParams).onboarding === 'returned';
  // Back from onboarding with the webhook not in yet: show what Stripe says (display only).
  const live =
    returned && view.state === 'pending' && view.via === 'connect' && view.accountId
      ? await liveAccountState(view.accountId)
      : null;
  const label = connectionLabel(view);
  const open = view.state === 'none' || view.state === 'disconnected';
  const onboarding = view.state === 'pending' && view.via === 'connect';
  // Connect needs the platform's Stripe key; a pasted key works without it.
  const showConnect = billingEnabled() && (open || onboarding);
  const showKey = open || view.via === 'key';
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Stripe</h1>
      <p className="text-sm text-slate-600">
        Connect {workspace.name}’s own Stripe account to invoice your clients: payments go to your account.
      </p>

      <Card>
        <CardTitle>Status</CardTitle>
        <div className="mt-3 space-y-2 text-sm" data-testid="stripe-status">
          <p className="flex items-center gap-2">
            <span className="font-semibold">{label ?? 'Stripe not connected'}</span>
            {view.state !== 'none' && view.state !== 'disconnected' && isTestMode(view) ? (
              <Badge tone="yellow">TEST MODE</Badge>
            ) : null}
          </p>
          {view.accountId && view.state !== 'none' ? (
            <p className="text-slate-600">
              Account <code>{view.accountId}</code> via{' '}
              {view.via === 'key' ? 'a restricted key' : 'Stripe Connect'}
              {view.keyHint ? ` (${view.keyHint})` : ''}
              {view.connectedAt ? `, connected ${formatDate(view.connectedAt)}` : ''}.
            </p>
          ) : null}
          {view.state === 'connected' ? (
            <p className="text-slate-600">
              Charges {view.chargesEnabled ? 'enabled' : 'not enabled yet'}.
              {view.applicationFeePercent !== null
                ? ` Platform fee: ${view.applicationFeePercent}% of each client payment.`
                : ''}
            </p>
          ) : null}
          {view.state === 'pending' ? (
            <p className="text-slate-600">
              {live?.detailsSubmitted
                ? 'Stripe has your details and is confirming the account. Refresh in a moment.'
                : 'Finish Stripe’s onboarding to start taking payments.'}
            </p>
          ) : null}
          {view.state === 'disconnected' ? (
            <p className="text-red-700">
              {view.disconnectedReason ?? 'The account is disconnected.'} Connect it again below.
            </p>
          ) : null}
        </div>
        {view.state !== 'none' ? (
          <div className="mt-4 flex">
            <InlineForm
              action={disconnectStripeAction}
              hidden={{ workspaceId: workspace.id }}
              submitLabel="Disconnect Stripe"
              pendingLabel="Disconnecting…"
              confirm="Disconnect this Stripe account? Client payment links stop working until you connect again."
            />
          </div>
        ) : null}
      </Card>

      {showConnect ? (
        <Card>
          <CardTitle>Connect with Stripe</CardTitle>
          <p className="mt-2 text-sm text-slate-600">
            Stripe’s recommended way: create or link an account through Stripe’s hosted onboarding.
          </p>
          <div className="mt-4">
            <StartConnectForm
              start={startConnectAction}
              workspaceId={workspace.id}
              label={onboarding ? 'Continue onboarding' : 'Connect with Stripe'}
              chooseType={!onboarding}
            />
          </div>
        </Card>
      ) : null}

      {showKey ? (
        <Card>
          <CardTitle>{open ? 'Use a restricted key' : 'Replace the key'}</CardTitle>
          <p className="mt-2 text-sm text-slate-600">
            Paste a restricted key from your Stripe Dashboard (Developers → API keys). We check it, register a
            webhook endpoint on your account, and store the key and the endpoint’s secret encrypted.
          </p>
          <div className="mt-4 max-w-md">
            <ConnectKeyForm connect={connectKeyAction} workspaceId={workspace.id} />
          </div>
        </Card>
      ) : null}
    </div>
  );
}
