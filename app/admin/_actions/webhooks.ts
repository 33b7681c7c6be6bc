'use server';

import { revalidatePath } from 'next/cache';
import { audit } from '@/lib/audit';
import { requireRole } from '@/lib/auth/session';
import { replayEvent } from '@/lib/billing/webhooks/process';
import type { AdminActionState } from './users';

/** Re-process a recorded event. Safe to repeat: handlers are idempotent and guarded by the event row lock. */
export async function replayWebhookAction(
  _prev: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  const actor = await requireRole(['admin'], '/admin/webhooks');
  const id = String(formData.get('eventId') ?? '');
  const result = await replayEvent(id);
  if (result === 'missing') return { ok: false, message: 'No such event.' };
  await audit({
    actor,
    action: 'webhook.replayed',
    targetType: 'webhook_event',
    targetId: id,
    stripeIds: [id],
    details: { result },
  });
  revalidatePath(`/admin/webhooks/${id}`);
  return {
    ok: result !== 'failed',
    message:
      result === 'failed' ? 'Re-processing failed again; see the error below.' : `Re-processed: ${result}.`,
  };
}
