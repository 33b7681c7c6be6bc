import { authenticateApi } from '@/lib/api/auth';
import { ownPayment } from '@/lib/billing/credits/payments';
import { billingDisabledResponse, notFoundResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// GET /api/stripe/checkout-session/{cs_…}: the caller's own session only.
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  const auth = await authenticateApi(request);
  if (!auth.ok) return auth.response;
  const { id } = await params;
  const payment = await ownPayment(auth.user.id, { checkoutSessionId: id });
  if (!payment) return notFoundResponse();
  return Response.json({
    session_id: payment.checkoutSessionId,
    payment_id: payment.id,
    status: payment.status,
    amount: payment.amount,
    credits: payment.credits,
    currency: payment.currency,
    expires_at: payment.expiresAt?.toISOString() ?? null,
    completed_at: payment.completedAt?.toISOString() ?? null,
  });
}
