import { authenticateApi } from '@/lib/api/auth';
import { parsePurchaseRequest, startCreditPaymentIntent } from '@/lib/billing/credits/purchase';
import { idempotentResponse } from '@/lib/api/idempotency';
import { billingDisabledResponse, errorResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// POST /api/stripe/payment-intent: like checkout-session, for a card collected with Stripe.js.
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
    route: 'POST /api/stripe/payment-intent',
    body: input,
  };
  return idempotentResponse(options, async () => {
    try {
      const { payment, clientSecret } = await startCreditPaymentIntent(auth.user, input, idempotencyKey);
      return Response.json(
        {
          payment_intent_id: payment.paymentIntentId,
          client_secret: clientSecret,
          payment_id: payment.id,
          status: payment.status,
          amount: payment.amount,
          currency: payment.currency,
        },
        { status: 201 },
      );
    } catch (error) {
      return errorResponse(error);
    }
  });
}
