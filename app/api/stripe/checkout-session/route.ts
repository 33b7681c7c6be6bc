import { authenticateApi } from '@/lib/api/auth';
import { parsePurchaseRequest, startCreditPurchase, toPurchaseSession } from '@/lib/billing/credits/purchase';
import { idempotentResponse } from '@/lib/api/idempotency';
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
  const { input, idempotencyKey } = parsed.value;
  const options = {
    ownerId: auth.user.id,
    key: idempotencyKey,
    route: 'POST /api/stripe/checkout-session',
    body: input,
  };
  return idempotentResponse(options, async () => {
    try {
      const payment = await startCreditPurchase(auth.user, input, idempotencyKey);
      return Response.json(toPurchaseSession(payment), { status: 201 });
    } catch (error) {
      return errorResponse(error);
    }
  });
}
