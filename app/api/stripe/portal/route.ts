import { sameOrigin, withApi } from '@/lib/api/handler';
import { openPortal } from '@/lib/billing/portal';
import { wantsJson } from '@/lib/http';

export const dynamic = 'force-dynamic';

// POST /api/stripe/portal: a Billing Portal session that returns to /billing.
export const POST = withApi({ auth: 'session', checks: [sameOrigin] }, async ({ request, user }) => {
  const url = await openPortal(user.id);
  return wantsJson(request) ? Response.json({ url }) : Response.redirect(url, 303);
});
