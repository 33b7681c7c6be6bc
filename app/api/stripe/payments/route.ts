import { pageJson, pageQuery } from '@/lib/api/auth';
import { withApi } from '@/lib/api/handler';
import { paymentsPage } from '@/lib/billing/credits/payments';

export const dynamic = 'force-dynamic';

// GET /api/stripe/payments?limit=20&cursor=<next_cursor>
export const GET = withApi(
  { auth: 'api', right: 'billing', query: pageQuery },
  async ({ workspace, query }) => pageJson(await paymentsPage(workspace.id, query)),
);
