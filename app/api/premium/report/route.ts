import { authenticateApi } from '@/lib/api/auth';
import { entitlementDenied, hasEntitlement } from '@/lib/billing/entitlements';
import { billingDisabledResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// GET /api/premium/report: an API route gated by the `premium_reports` entitlement.
export async function GET(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  const auth = await authenticateApi(request);
  if (!auth.ok) return auth.response;
  if (!(await hasEntitlement(auth.user.id, 'premium_reports'))) return entitlementDenied('premium_reports');
  return Response.json({
    report: 'premium',
    generated_for: auth.user.email,
    generated_at: new Date().toISOString(),
  });
}
