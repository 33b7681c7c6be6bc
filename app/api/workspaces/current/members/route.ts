import { pageJson, pageQuery } from '@/lib/api/auth';
import { withApi } from '@/lib/api/handler';
import { listMembers } from '@/lib/workspaces/members';

export const dynamic = 'force-dynamic';

// GET /api/workspaces/current/members?limit=20&cursor=<next_cursor>: oldest member first.
export const GET = withApi(
  { auth: 'api', billing: false, query: pageQuery },
  async ({ workspace, query }) => {
    const page = await listMembers(workspace.id, query.cursor, query.limit);
    return pageJson({
      ...page,
      data: page.data.map((m) => ({
        id: m.id,
        email: m.email,
        name: m.name,
        role: m.role,
        joined_at: m.joinedAt,
      })),
    });
  },
);
