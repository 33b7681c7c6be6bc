import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { billingDisabledResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// Verify, record and queue; a worker on the job queue applies the event.
export async function POST(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  return receiveWebhook(request);
}
