import { authenticateApi } from '@/lib/api/auth';
import { parsePurchaseRequest, startCreditPurchase, toPurchaseSession } from '@/lib/billing/credits/purchase';
import { billingDisabledResponse, errorResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// POST /api/stripe/checkout-session {pack} | {amount, currency, description}; honours Idempotency-Key.
export async function POST(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  const auth = await authenticateApi(request);
  if (!auth.ok) return auth.response;
  const parsed = await parsePurchaseRequest(request);
  if (!parsed.ok) return parsed.response;
  try {
    const payment = await startCreditPurchase(auth.user, parsed.value.input, parsed.value.idempotencyKey);
    return Response.json(toPurchaseSession(payment), { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
