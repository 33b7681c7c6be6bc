import { pageJson, pageQuery } from '@/lib/api/auth';
import { withApi } from '@/lib/api/handler';
import { paymentsPage } from '@/lib/billing/credits/payments';

export const dynamic = 'force-dynamic';

// GET /api/stripe/payments?limit=20&cursor=<next_cursor>
export const GET = withApi({ auth: 'api', query: pageQuery }, async ({ user, query }) =>
  pageJson(await paymentsPage(user.id, query)),
);
