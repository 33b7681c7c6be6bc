import { withApi } from '@/lib/api/handler';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';

export const dynamic = 'force-dynamic';

// Verify, record and queue; a worker on the job queue applies the event. The signature is
// the authentication, so receiveWebhook reads the raw body itself.
export const POST = withApi({ auth: 'public' }, ({ request }) => receiveWebhook(request));
