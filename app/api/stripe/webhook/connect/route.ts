import { withApi } from '@/lib/api/handler';
import { receiveConnectWebhook } from '@/lib/billing/webhooks/connected-intake';

export const dynamic = 'force-dynamic';

// Events of workspaces' Connect accounts (each names its `account`), verified with the platform's
// Connect endpoint secret and recorded in the same inbox as the platform's events.
export const POST = withApi({ auth: 'public' }, ({ request }) => receiveConnectWebhook(request));
