import { after } from 'next/server';
import { kickApplier, noteWebhookRequest } from '@/lib/billing/webhooks/applier';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { billingDisabledResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

export async function POST(request: Request) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  noteWebhookRequest();
  // The applier outlives this request (it drains everything recorded), so the
  // request does not wait on it; the sweeper finishes anything it leaves.
  return receiveWebhook(request, (task) => after(() => void task()), kickApplier);
}
