import { authenticateApi } from '@/lib/api/auth';
import { ownPayment } from '@/lib/billing/credits/payments';
import { billingDisabledResponse, notFoundResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// GET /api/stripe/payment-intent/{pi_…}: the caller's own payment only.
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  const auth = await authenticateApi(request);
  if (!auth.ok) return auth.response;
  const { id } = await params;
  const payment = await ownPayment(auth.user.id, { paymentIntentId: id });
  if (!payment) return notFoundResponse();
  return Response.json({
    payment_intent_id: payment.paymentIntentId,
    payment_id: payment.id,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
  });
}
