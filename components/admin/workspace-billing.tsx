import { ActionForm } from '@/components/admin/action-form';
import { WorkspacePayments } from '@/components/admin/workspace-payments';
import { WorkspaceSubscriptions } from '@/components/admin/workspace-subscriptions';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import type { FormAction } from '@/lib/action-state';
import type { userDetail } from '@/lib/admin/queries';
import { formatCount, formatDate } from '@/lib/format';

type Workspace = NonNullable<Awaited<ReturnType<typeof userDetail>>>['workspaces'][number];

/** One workspace's billing on a user's back-office page: its customer, subscriptions, payments and ledger. */
export function WorkspaceBilling({
  workspace,
  userId,
  sync,
}: {
  workspace: Workspace;
  userId: string;
  sync: FormAction;
}) {
  const label = `${workspace.name}${workspace.personal ? ' (personal)' : ''}`;
  return (
    <section className="space-y-4" aria-label={`Workspace ${label}`}>
      <h2 className="text-lg font-semibold">
        {label} <span className="text-sm font-normal text-slate-600">· {workspace.role}</span>{' '}
        <span className="text-sm font-normal text-slate-600" data-testid="workspace-credits">
          · {formatCount(workspace.creditBalance)} credits
        </span>
      </h2>
      <Card>
        <CardTitle>Stripe</CardTitle>
        <p className="mt-2 font-mono text-xs">{workspace.customer?.id ?? 'No Stripe customer yet'}</p>
        <p className="mt-2 text-sm">
          Entitlements: {workspace.customer?.entitlements.map((e) => e.lookupKey).join(', ') || 'none'}
        </p>
        {workspace.customer ? (
          <div className="mt-3">
            <ActionForm
              action={sync}
              submitLabel="Sync from Stripe"
              pendingLabel="Syncing…"
              variant="secondary"
              hidden={{ workspaceId: workspace.id, userId }}
            />
          </div>
        ) : null}
      </Card>
      <WorkspaceSubscriptions label={`Subscriptions of ${label}`} subscriptions={workspace.subscriptions} />
      <WorkspacePayments label={`Payments of ${label}`} payments={workspace.payments} />
      <Card>
        <CardTitle>Credit ledger</CardTitle>
        <Table
          label={`Credit ledger of ${label}`}
          headers={['Date', 'Kind', 'Credits', 'Balance', 'Memo']}
          empty={workspace.ledger.length === 0 && 'No entries.'}
        >
          {workspace.ledger.map((e) => (
            <tr key={e.id}>
              <Td>{formatDate(e.createdAt)}</Td>
              <Td>{e.kind}</Td>
              <Td className="font-mono">{formatCount(e.amount)}</Td>
              <Td className="font-mono">{e.balanceAfter}</Td>
              <Td>{e.memo ?? ''}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </section>
  );
}
