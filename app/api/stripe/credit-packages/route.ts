import { creditPacks } from '@/lib/billing/catalog';
import { billingDisabledResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// GET /api/stripe/credit-packages: public.
export async function GET() {
  return (
    billingDisabledResponse() ??
    Response.json({
      data: creditPacks.map((p) => ({
        pack: p.key,
        name: p.name,
        credits: p.credits,
        amount: p.amount,
        currency: 'usd',
      })),
    })
  );
}
