import { pageJson, pageQuery } from '@/lib/api/auth';
import { withApi } from '@/lib/api/handler';
import { ledgerPage } from '@/lib/billing/credits/ledger';

export const dynamic = 'force-dynamic';

// GET /api/credits/ledger?limit=20&cursor=<next_cursor>
export const GET = withApi({ auth: 'api', query: pageQuery }, async ({ workspace, query }) =>
  pageJson(await ledgerPage(workspace.id, query)),
);
