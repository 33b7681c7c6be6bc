import { authenticateApi } from '@/lib/api/auth';
import { balanceOf } from '@/lib/billing/credits/ledger';
import { billingDisabledResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  const auth = await authenticateApi(request);
  if (!auth.ok) return auth.response;
  return Response.json({ balance: await balanceOf(auth.user.id), unit: 'credit', credit_value_cents: 1 });
}
