import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { changeRoleAction, syncCustomerAction } from '@/app/admin/_actions/users';
import { ActionForm } from '@/components/admin/action-form';
import { StatusBadge } from '@/components/billing/status-badge';
import { PaymentStatusBadge } from '@/components/credits/payment-status';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { auditTrail, userDetail } from '@/lib/admin/queries';
import { workspacesOfUser } from '@/lib/admin/workspaces';
import { requireRole } from '@/lib/auth/session';
import { formatMoney } from '@/lib/billing/catalog';
import { billingEnabled } from '@/lib/env';
import { formatCount, formatDate } from '@/lib/format';
import { redact } from '@/lib/redact';

export const metadata: Metadata = { title: 'User · Admin' };

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireRole(['admin', 'finance'], '/admin/users');
  const { id } = await params;
  const user = await userDetail(id);
  if (!user) notFound();
  const [trail, workspaces] = await Promise.all([
    auditTrail({ type: 'user', id: user.id }, null),
    workspacesOfUser(user.id),
  ]);
  const billing = billingEnabled();
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/users" className="text-sm font-semibold text-indigo-600">
          ← Users
        </Link>
        <h1 className="mt-2 text-2xl font-bold">{user.email}</h1>
        <p className="text-sm text-slate-600">
          {user.name ?? 'No name'} · role {user.role} · {formatCount(user.creditBalance)} credits · joined{' '}
          {formatDate(user.createdAt)}
        </p>
      </div>

      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardTitle>Role</CardTitle>
          {viewer.role === 'admin' && viewer.id !== user.id ? (
            <ActionForm
              action={changeRoleAction}
              submitLabel="Change role"
              pendingLabel="Saving…"
              variant="secondary"
              hidden={{ userId: user.id }}
            >
              <label htmlFor="role" className="mt-3 block text-sm font-medium">
                Role
              </label>
              <select
                id="role"
                name="role"
                defaultValue={user.role}
                className="rounded-md px-3 py-2 text-sm ring-1 ring-slate-300"
              >
                <option value="user">user</option>
                <option value="finance">finance</option>
                <option value="admin">admin</option>
              </select>
            </ActionForm>
          ) : (
            <p className="mt-2 text-sm text-slate-600">
              {user.role} {viewer.role !== 'admin' ? '(only admins change roles)' : ''}
            </p>
          )}
        </Card>
        {billing ? (
          <Card>
            <CardTitle>Stripe</CardTitle>
            <p className="mt-2 font-mono text-xs">{user.customer?.id ?? 'No Stripe customer yet'}</p>
            <p className="mt-2 text-sm">
              Entitlements: {user.customer?.entitlements.map((e) => e.lookupKey).join(', ') || 'none'}
            </p>
            {user.customer ? (
              <div className="mt-3">
                <ActionForm
                  action={syncCustomerAction}
                  submitLabel="Sync from Stripe"
                  pendingLabel="Syncing…"
                  variant="secondary"
                  hidden={{ userId: user.id }}
                />
              </div>
            ) : null}
          </Card>
        ) : null}
      </div>

      <Card>
        <CardTitle>Workspaces</CardTitle>
        <Table
          label="Workspaces"
          headers={['Workspace', 'Role', 'Members', 'Joined']}
          empty={workspaces.length === 0 && 'Member of no workspace.'}
        >
          {workspaces.map((w) => (
            <tr key={w.id}>
              <Td>
                <Link href={`/admin/workspaces/${w.id}`} className="text-indigo-600 hover:text-indigo-500">
                  {w.name}
                </Link>
                {w.personal ? <span className="ml-2 text-xs text-slate-500">personal</span> : null}
              </Td>
              <Td>{w.role}</Td>
              <Td>{w.members}</Td>
              <Td>{formatDate(w.joinedAt)}</Td>
            </tr>
          ))}
        </Table>
      </Card>

      {billing ? (
        <>
          <Card>
            <CardTitle>Subscriptions</CardTitle>
            <Table
              label="Subscriptions"
              headers={['Id', 'Plan', 'Status', 'Period end', 'Cancels']}
              empty={user.subscriptions.length === 0 && 'No subscriptions.'}
            >
              {user.subscriptions.map((s) => (
                <tr key={s.id}>
                  <Td className="font-mono text-xs">{s.id}</Td>
                  <Td>
                    {s.planKey ?? s.priceLookupKey ?? s.priceId} {s.interval ? `/ ${s.interval}` : ''}
                  </Td>
                  <Td>
                    <StatusBadge status={s.status} />
                  </Td>
                  <Td>{formatDate(s.currentPeriodEnd)}</Td>
                  <Td>{s.cancelAtPeriodEnd ? 'at period end' : '—'}</Td>
                </tr>
              ))}
            </Table>
          </Card>
          <Card>
            <CardTitle>Payments</CardTitle>
            <Table
              label="Payments"
              headers={['Date', 'Description', 'Amount', 'Status']}
              empty={user.payments.length === 0 && 'No payments.'}
            >
              {user.payments.map((p) => (
                <tr key={p.id}>
                  <Td>{formatDate(p.createdAt)}</Td>
                  <Td>
                    <Link href={`/admin/payments/${p.id}`} className="text-indigo-600 hover:text-indigo-500">
                      {p.description ?? p.kind}
                    </Link>
                  </Td>
                  <Td>{formatMoney(p.amount, p.currency)}</Td>
                  <Td>
                    <PaymentStatusBadge status={p.status} />
                  </Td>
                </tr>
              ))}
            </Table>
          </Card>
          <Card>
            <CardTitle>Credit ledger</CardTitle>
            <Table
              label="Credit ledger"
              headers={['Date', 'Kind', 'Credits', 'Balance', 'Memo']}
              empty={user.ledger.length === 0 && 'No entries.'}
            >
              {user.ledger.map((e) => (
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
        </>
      ) : null}

      <Card>
        <CardTitle>Audit trail</CardTitle>
        <Table
          label="Audit trail"
          headers={['When', 'Who', 'Action', 'Details']}
          empty={trail.data.length === 0 && 'Nothing recorded.'}
        >
          {trail.data.map((a) => (
            <tr key={a.id}>
              <Td>{a.createdAt.toISOString().replace('T', ' ').slice(0, 16)}</Td>
              <Td>{a.actorEmail}</Td>
              <Td>{a.action}</Td>
              <Td>{a.reason ?? (a.details ? JSON.stringify(redact(a.details)) : '')}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}
