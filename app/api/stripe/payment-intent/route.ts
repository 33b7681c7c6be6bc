import { authenticateApi, badRequest } from '@/lib/api/auth';
import { idempotencyKeySchema, purchaseSchema, startCreditPaymentIntent } from '@/lib/billing/credits/purchase';
import { billingDisabledResponse, errorResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// POST /api/stripe/payment-intent: like checkout-session, for a card collected with Stripe.js.
export async function POST(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  const auth = await authenticateApi(request);
  if (!auth.ok) return auth.response;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return badRequest('The body must be JSON.');
  }
  const parsed = purchaseSchema().safeParse(body);
  if (!parsed.success) return badRequest('Invalid purchase.', parsed.error.issues);
  const keyHeader = request.headers.get('idempotency-key');
  const key = keyHeader === null ? undefined : idempotencyKeySchema.safeParse(keyHeader);
  if (key && !key.success) return badRequest(key.error.issues[0]!.message);
  try {
    const { payment, clientSecret } = await startCreditPaymentIntent(auth.user, parsed.data, key?.data);
    return Response.json(
      { payment_intent_id: payment.paymentIntentId, client_secret: clientSecret, payment_id: payment.id, status: payment.status, amount: payment.amount, currency: payment.currency },
      { status: 201 },
    );
  } catch (error) {
    return errorResponse(error);
  }
}
