import type { Metadata } from 'next';
import { Card } from '@/components/ui/card';
import { CreateWorkspaceForm } from '@/components/workspaces/forms';
import { requireUser } from '@/lib/auth/session';
import { createWorkspaceAction } from '../actions';

export const metadata: Metadata = { title: 'Create a workspace' };

export default async function NewWorkspacePage() {
  await requireUser('/workspace/new');
  return (
    <div className="max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Create a workspace</h1>
      <p className="text-sm text-slate-600">
        A workspace has its own members, plan, credits and API keys. You are its owner, and can invite others.
      </p>
      <Card>
        <CreateWorkspaceForm create={createWorkspaceAction} />
      </Card>
    </div>
  );
}
