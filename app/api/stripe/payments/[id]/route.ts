import { z } from 'zod';
import { withApi } from '@/lib/api/handler';
import { ownPayment } from '@/lib/billing/credits/payments';
import { notFoundResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const GET = withApi(
  { auth: 'api', params: z.object({ id: z.string() }) },
  async ({ user, params }) => {
    const payment = await ownPayment(user.id, { id: params.id });
    return payment ? Response.json(payment) : notFoundResponse();
  },
);
