import { authenticateApi, pageParams } from '@/lib/api/auth';
import { ledgerPage } from '@/lib/billing/credits/ledger';
import { billingDisabledResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// GET /api/credits/ledger?limit=20&cursor=<next_cursor>
export async function GET(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  const auth = await authenticateApi(request);
  if (!auth.ok) return auth.response;
  const params = pageParams(request);
  if (!params.ok) return params.response;
  const page = await ledgerPage(auth.user.id, params.value);
  return Response.json({ data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor });
}
