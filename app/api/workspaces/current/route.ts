import { withApi } from '@/lib/api/handler';
import { notFoundResponse } from '@/lib/http';
import { workspaceOverview } from '@/lib/workspaces/overview';

export const dynamic = 'force-dynamic';

// GET /api/workspaces/current: the caller's workspace, its plan, seats and credit balance.
export const GET = withApi({ auth: 'api', billing: false }, async ({ workspace }) => {
  const overview = await workspaceOverview(workspace.id);
  if (!overview) return notFoundResponse();
  return Response.json({
    id: overview.id,
    name: overview.name,
    plan: overview.plan,
    seats: overview.seats,
    balance: overview.balance,
  });
});
