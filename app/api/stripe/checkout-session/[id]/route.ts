import { z } from 'zod';
import { withApi } from '@/lib/api/handler';
import { ownPayment } from '@/lib/billing/credits/payments';
import { notFoundResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// GET /api/stripe/checkout-session/{cs_…}: the caller's own session only.
export const GET = withApi(
  { auth: 'api', right: 'billing', params: z.object({ id: z.string() }) },
  async ({ workspace, params }) => {
    const payment = await ownPayment(workspace.id, { checkoutSessionId: params.id });
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
  },
);
