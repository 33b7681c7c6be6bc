import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { changeRoleAction, syncCustomerAction } from '@/app/admin/_actions/users';
import { ActionForm } from '@/components/admin/action-form';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { WorkspaceBilling } from '@/components/admin/workspace-billing';
import { auditTrail, USER_WORKSPACES_SHOWN, userDetail } from '@/lib/admin/queries';
import { workspacesOfUser } from '@/lib/admin/workspaces';
import { requireRole } from '@/lib/auth/session';
import { billingEnabled } from '@/lib/env';
import { formatDate } from '@/lib/format';
import { redact } from '@/lib/redact';

export const metadata: Metadata = { title: 'User · Admin' };

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireRole(['admin', 'finance'], '/admin/users');
  const { id } = await params;
  // All three at once: each needs only the id (an unknown id reads three empty results).
  const [user, trail, workspaces] = await Promise.all([
    userDetail(id),
    auditTrail({ type: 'user', id }, null),
    workspacesOfUser(id),
  ]);
  if (!user) notFound();
  const billing = billingEnabled();
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/users" className="text-sm font-semibold text-indigo-600">
          ← Users
        </Link>
        <h1 className="mt-2 text-2xl font-bold">{user.email}</h1>
        <p className="text-sm text-slate-600">
          {user.name ?? 'No name'} · role {user.role} · member of {user.workspaces.length}
          {user.workspaces.length === USER_WORKSPACES_SHOWN ? '+' : ''} workspace
          {user.workspaces.length === 1 ? '' : 's'} · joined {formatDate(user.createdAt)}
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

      {billing
        ? user.workspaces.map((workspace) => (
            <WorkspaceBilling
              key={workspace.id}
              workspace={workspace}
              userId={user.id}
              sync={syncCustomerAction}
            />
          ))
        : null}

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
