import { sameOrigin, withApi } from '@/lib/api/handler';
import { issueRefund, REFUND_ROLES, refundSchema } from '@/lib/billing/refunds';

export const dynamic = 'force-dynamic';

// POST /api/stripe/refund {paymentId, amount (cents), reason, stripeReason?} + Idempotency-Key: admin and finance only; anyone else gets 404.
export const POST = withApi(
  {
    auth: { staff: REFUND_ROLES },
    checks: [sameOrigin],
    // The idempotency token may come in the body or as an Idempotency-Key header.
    body: {
      schema: refundSchema,
      invalid: 'Invalid refund.',
      format: 'json',
      fromHeaders: { 'idempotency-key': 'token' },
    },
  },
  async ({ user, body }) => {
    const refund = await issueRefund(user, body);
    return Response.json(
      { refund_id: refund.refundId, amount: refund.amount, status: refund.status },
      { status: 201 },
    );
  },
);
