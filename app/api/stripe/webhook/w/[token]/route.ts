import { z } from 'zod';
import { withApi } from '@/lib/api/handler';
import { receiveWorkspaceWebhook } from '@/lib/billing/webhooks/connected-intake';

export const dynamic = 'force-dynamic';

// A workspace's own webhook URL (its pasted restricted key registered it on its account): verified
// with that workspace's secret only. It works without the platform's Stripe key.
export const POST = withApi(
  { auth: 'public', billing: false, params: z.object({ token: z.string().max(100) }) },
  ({ request, params }) => receiveWorkspaceWebhook(request, params.token),
);
