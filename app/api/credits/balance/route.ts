import { withApi } from '@/lib/api/handler';
import { balanceOf } from '@/lib/billing/credits/ledger';

export const dynamic = 'force-dynamic';

export const GET = withApi({ auth: 'api' }, async ({ user }) =>
  Response.json({ balance: await balanceOf(user.id), unit: 'credit', credit_value_cents: 1 }),
);
