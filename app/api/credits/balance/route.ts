import { withApi } from '@/lib/api/handler';
import { balanceOf } from '@/lib/billing/credits/ledger';

export const dynamic = 'force-dynamic';

export const GET = withApi({ auth: 'api' }, async ({ workspace }) =>
  Response.json({ balance: await balanceOf(workspace.id), unit: 'credit', credit_value_cents: 1 }),
);
