import { z } from 'zod';
import { withApi } from '@/lib/api/handler';
import { ownPayment } from '@/lib/billing/credits/payments';
import { notFoundResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// GET /api/stripe/payment-intent/{pi_…}: the caller's own payment only.
export const GET = withApi(
  { auth: 'api', right: 'billing', params: z.object({ id: z.string() }) },
  async ({ workspace, params }) => {
    const payment = await ownPayment(workspace.id, { paymentIntentId: params.id });
    if (!payment) return notFoundResponse();
    return Response.json({
      payment_intent_id: payment.paymentIntentId,
      payment_id: payment.id,
      status: payment.status,
      amount: payment.amount,
      currency: payment.currency,
    });
  },
);
