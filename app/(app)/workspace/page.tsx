import type { Metadata } from 'next';
import Link from 'next/link';
import { Card, CardTitle } from '@/components/ui/card';
import { InlineForm, RenameWorkspaceForm } from '@/components/workspaces/forms';
import { requireWorkspace } from '@/lib/workspaces/current';
import { roleLabels } from '@/lib/workspaces/labels';
import { can } from '@/lib/workspaces/roles';
import { leaveWorkspaceAction, renameWorkspaceAction } from './actions';

export const metadata: Metadata = { title: 'Workspace settings' };

export default async function WorkspaceSettingsPage() {
  const { workspace } = await requireWorkspace('use', '/workspace');
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{workspace.name}</h1>
      <p className="text-sm text-slate-600">
        {workspace.personal ? 'Your personal workspace. ' : ''}Your role: {roleLabels[workspace.role]}.{' '}
        <Link href="/workspace/members" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Members
        </Link>
        {can(workspace.role, 'billing') ? (
          <>
            {' · '}
            <Link href="/workspace/stripe" className="font-semibold text-indigo-600 hover:text-indigo-500">
              Stripe
            </Link>
          </>
        ) : null}
      </p>
      {can(workspace.role, 'members') ? (
        <Card>
          <CardTitle>Name</CardTitle>
          <div className="mt-4 max-w-md">
            <RenameWorkspaceForm
              rename={renameWorkspaceAction}
              workspaceId={workspace.id}
              name={workspace.name}
            />
          </div>
        </Card>
      ) : null}
      <Card>
        <CardTitle>Leave</CardTitle>
        {workspace.personal ? (
          <p className="mt-2 text-sm text-slate-600">
            This is your personal workspace: it stays yours, and you cannot leave it.
          </p>
        ) : (
          <div className="mt-2 space-y-2">
            <p className="text-sm text-slate-600">
              You lose access to this workspace. A workspace keeps at least one owner: the last owner makes
              someone else owner first.
            </p>
            <div className="flex">
              <InlineForm
                action={leaveWorkspaceAction}
                hidden={{ workspaceId: workspace.id }}
                submitLabel="Leave"
                pendingLabel="Leaving…"
                confirm={`Leave ${workspace.name}?`}
              />
            </div>
          </div>
        )}
      </Card>
      <p className="text-sm">
        <Link href="/workspace/new" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Create another workspace
        </Link>
      </p>
    </div>
  );
}
