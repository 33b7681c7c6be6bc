import { after } from 'next/server';
import { withApi } from '@/lib/api/handler';
import { applierRunning, kickApplier, noteWebhookRequest } from '@/lib/billing/webhooks/applier';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';

export const dynamic = 'force-dynamic';

// The signature is the authentication, so the raw body is read by receiveWebhook, not the wrapper.
export const POST = withApi({ auth: 'public' }, ({ request }) => {
  noteWebhookRequest();
  // The applier outlives this request (it drains everything recorded), so the
  // request does not wait on it; the sweeper finishes anything it leaves.
  // During a burst the loop is already draining and will pick this event up.
  return receiveWebhook(
    request,
    (task) => (applierRunning() ? undefined : after(() => void task())),
    kickApplier,
  );
});
