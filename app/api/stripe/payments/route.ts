import { authenticateApi, pageParams } from '@/lib/api/auth';
import { paymentsPage } from '@/lib/billing/credits/payments';
import { billingDisabledResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// GET /api/stripe/payments?limit=20&cursor=<next_cursor>
export async function GET(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  const auth = await authenticateApi(request);
  if (!auth.ok) return auth.response;
  const params = pageParams(request);
  if (!params.ok) return params.response;
  return Response.json(await paymentsPage(auth.user.id, params.value));
}
