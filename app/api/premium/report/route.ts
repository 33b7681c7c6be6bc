import { withApi } from '@/lib/api/handler';
import { entitlementDenied, hasEntitlement } from '@/lib/billing/entitlements';

export const dynamic = 'force-dynamic';

// GET /api/premium/report: an API route gated by the `premium_reports` entitlement.
export const GET = withApi({ auth: 'api' }, async ({ user, workspace }) => {
  if (!(await hasEntitlement(workspace.id, 'premium_reports'))) return entitlementDenied('premium_reports');
  return Response.json({
    report: 'premium',
    generated_for: user.email,
    generated_at: new Date().toISOString(),
  });
});
