import { after } from 'next/server';
import { processEvent } from '@/lib/billing/webhooks/process';
import { receiveWebhook } from '@/lib/billing/webhooks/receive';
import { billingDisabledResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

export async function POST(request: Request) {
  return billingDisabledResponse() ?? receiveWebhook(request, (task) => after(task), processEvent);
}
