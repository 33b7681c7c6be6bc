import { z } from 'zod';
import { withApi } from '@/lib/api/handler';
import { ownPayment } from '@/lib/billing/credits/payments';
import { notFoundResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const GET = withApi(
  { auth: 'api', right: 'billing', params: z.object({ id: z.string() }) },
  async ({ workspace, params }) => {
    const payment = await ownPayment(workspace.id, { id: params.id });
    return payment ? Response.json(payment) : notFoundResponse();
  },
);
