import 'server-only';
import { notFound } from 'next/navigation';
import { connectedAccountOf } from '@/lib/billing/connections';
import { requireWorkspace } from '@/lib/workspaces/current';
import type { WorkspaceRight } from '@/lib/workspaces/roles';

// Invoicing exists only for a workspace with a connected Stripe account: without one its pages
// are a 404 and the navigation has no entry (opt-in, as billing is).

export async function invoicingEnabled(workspaceId: string): Promise<boolean> {
  return (await connectedAccountOf(workspaceId)) !== null;
}

/** For invoicing pages: the user, the workspace (with `right`) and its account, else 404. */
export async function requireInvoicing(right: WorkspaceRight = 'use', callbackUrl?: string) {
  const { user, workspace } = await requireWorkspace(right, callbackUrl);
  const account = await connectedAccountOf(workspace.id);
  if (!account) notFound();
  return { user, workspace, account };
}
