import { authenticateApi } from '@/lib/api/auth';
import { ownPayment } from '@/lib/billing/credits/payments';
import { billingDisabledResponse, notFoundResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  const auth = await authenticateApi(request);
  if (!auth.ok) return auth.response;
  const payment = await ownPayment(auth.user.id, { id: (await params).id });
  return payment ? Response.json(payment) : notFoundResponse();
}
