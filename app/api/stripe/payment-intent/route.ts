import { withApi } from '@/lib/api/handler';
import { purchaseSchema, startCreditPaymentIntent } from '@/lib/billing/credits/purchase';

export const dynamic = 'force-dynamic';

// POST /api/stripe/payment-intent: like checkout-session, for a card collected with Stripe.js.
export const POST = withApi(
  {
    auth: 'api',
    right: 'billing',
    body: { schema: purchaseSchema, invalid: 'Invalid purchase.', format: 'json' },
    idempotent: { route: 'POST /api/stripe/payment-intent' },
  },
  async ({ user, workspace, body, idempotencyKey }) => {
    const { payment, clientSecret } = await startCreditPaymentIntent(
      { workspace, user },
      body,
      idempotencyKey,
    );
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
  },
);
