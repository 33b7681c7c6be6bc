import { badRequest, jsonBody } from '@/lib/api/auth';
import { currentUser } from '@/lib/auth/session';
import { issueRefund, REFUND_ROLES, refundSchema } from '@/lib/billing/refunds';
import { billingDisabledResponse, crossSite, errorResponse, notFoundResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// POST /api/stripe/refund {paymentId, amount (cents), reason, stripeReason?} + Idempotency-Key: admin and finance only; anyone else gets 404.
export async function POST(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  if (crossSite(request)) return Response.json({ error: 'Cross-site request refused.' }, { status: 403 });
  const user = request.headers.get('cookie') ? await currentUser() : null;
  if (!user || !REFUND_ROLES.includes(user.role as (typeof REFUND_ROLES)[number])) return notFoundResponse();
  const json = await jsonBody(request);
  if (!json.ok) return json.response;
  const body = json.value;
  // The idempotency token may come in the body or as an Idempotency-Key header.
  const token = request.headers.get('idempotency-key');
  const parsed = refundSchema.safeParse(
    body && typeof body === 'object' && token ? { token, ...body } : body,
  );
  if (!parsed.success) return badRequest('Invalid refund.', parsed.error.issues);
  try {
    const refund = await issueRefund(user, parsed.data);
    return Response.json(
      { refund_id: refund.refundId, amount: refund.amount, status: refund.status },
      { status: 201 },
    );
  } catch (error) {
    return errorResponse(error);
  }
}
