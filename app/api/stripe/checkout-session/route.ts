import { withApi } from '@/lib/api/handler';
import { purchaseSchema, startCreditPurchase, toPurchaseSession } from '@/lib/billing/credits/purchase';

export const dynamic = 'force-dynamic';

// POST /api/stripe/checkout-session {pack} | {amount, currency, description}; honours Idempotency-Key.
export const POST = withApi(
  {
    auth: 'api',
    right: 'billing',
    body: { schema: purchaseSchema, invalid: 'Invalid purchase.', format: 'json' },
    idempotent: { route: 'POST /api/stripe/checkout-session' },
  },
  async ({ user, workspace, body, idempotencyKey }) =>
    Response.json(toPurchaseSession(await startCreditPurchase({ workspace, user }, body, idempotencyKey)), {
      status: 201,
    }),
);
