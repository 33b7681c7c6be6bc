import { withApi } from '@/lib/api/handler';
import { creditPacks } from '@/lib/billing/catalog';

export const dynamic = 'force-dynamic';

// GET /api/stripe/credit-packages: public.
export const GET = withApi({ auth: 'public' }, () =>
  Response.json({
    data: creditPacks.map((p) => ({
      pack: p.key,
      name: p.name,
      credits: p.credits,
      amount: p.amount,
      currency: 'usd',
    })),
  }),
);
