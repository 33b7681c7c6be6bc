import { after } from 'next/server';
import { applierRunning, kickApplier, noteWebhookRequest } from '@/lib/billing/webhooks/applier';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { billingDisabledResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

export async function POST(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  noteWebhookRequest();
  // The applier outlives this request (it drains everything recorded), so the
  // request does not wait on it; the sweeper finishes anything it leaves.
  // During a burst the loop is already draining and will pick this event up.
  return receiveWebhook(
    request,
    (task) => (applierRunning() ? undefined : after(() => void task())),
    kickApplier,
  );
}
