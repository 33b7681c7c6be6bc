import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/admin/action-form';
import { WorkspacePayments } from '@/components/admin/workspace-payments';
import { WorkspaceSubscriptions } from '@/components/admin/workspace-subscriptions';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { workspaceDetail } from '@/lib/admin/workspaces';
import { connectionLabel, connectionView } from '@/lib/billing/connect/status';
import { setApplicationFeeAction } from '@/app/admin/_actions/stripe-fee';
import { requireRole } from '@/lib/auth/session';
import { formatMoney } from '@/lib/billing/catalog';
import { billingEnabled } from '@/lib/env';
import { formatDate } from '@/lib/format';

export const metadata: Metadata = { title: 'Workspace · Admin' };

export default async function AdminWorkspacePage({ params }: { params: Promise<{ id: string }> }) {
  const staff = await requireRole(['admin', 'finance'], '/admin/workspaces');
  const { id } = await params;
  const workspace = await workspaceDetail(id);
  if (!workspace) notFound();
  const billing = billingEnabled();
  const stripe = await connectionView(workspace.id);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/workspaces" className="text-sm font-semibold text-indigo-600">
          ← Workspaces
        </Link>
        <h1 className="mt-2 text-2xl font-bold">{workspace.name}</h1>
        <p className="text-sm text-slate-600">
          {workspace.personalOfId ? 'Personal workspace' : 'Team workspace'} · {workspace.memberCount}{' '}
          {workspace.memberCount === 1 ? 'member' : 'members'} · MRR {formatMoney(workspace.mrr)} · created{' '}
          {formatDate(workspace.createdAt)}
        </p>
      </div>

      <Card>
        <CardTitle>Members</CardTitle>
        <Table label="Members" headers={['Email', 'Name', 'Role', 'Joined']} empty={false}>
          {workspace.members.map((m) => (
            <tr key={m.user.id}>
              <Td>
                <Link href={`/admin/users/${m.user.id}`} className="text-indigo-600 hover:text-indigo-500">
                  {m.user.email}
                </Link>
              </Td>
              <Td>{m.user.name ?? '—'}</Td>
              <Td>{m.role}</Td>
              <Td>{formatDate(m.createdAt)}</Td>
            </tr>
          ))}
        </Table>
        {workspace.memberCount > workspace.membersShown ? (
          <p className="mt-2 text-sm text-slate-600">
            The first {workspace.membersShown} of {workspace.memberCount} members.
          </p>
        ) : null}
      </Card>

      {stripe.state !== 'none' ? (
        <Card>
          <CardTitle>Own Stripe account</CardTitle>
          <p className="mt-2 text-sm text-slate-600" data-testid="admin-workspace-stripe">
            {connectionLabel(stripe)} · <code>{stripe.accountId}</code> via{' '}
            {stripe.via === 'key' ? 'restricted key' : 'Connect'}
            {stripe.via === 'connect'
              ? ` · application fee ${stripe.applicationFeePercent === null ? 'none' : `${stripe.applicationFeePercent}%`}`
              : ''}
          </p>
          {stripe.via === 'connect' && staff.role === 'admin' ? (
            <div className="mt-4 max-w-sm">
              <ActionForm
                action={setApplicationFeeAction}
                hidden={{ workspaceId: workspace.id }}
                submitLabel="Set fee"
                pendingLabel="Saving…"
              >
                <label htmlFor="fee-percent" className="block text-sm font-medium text-slate-800">
                  Application fee for this workspace (%), blank for the default
                </label>
                <input
                  id="fee-percent"
                  name="percent"
                  inputMode="decimal"
                  className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-slate-300"
                />
              </ActionForm>
            </div>
          ) : null}
        </Card>
      ) : null}

      {billing ? (
        <>
          <WorkspaceSubscriptions label="Subscriptions" subscriptions={workspace.subscriptions} seats />
          <WorkspacePayments label={'Payments'} payments={workspace.payments} />
        </>
      ) : null}
    </div>
  );
}
