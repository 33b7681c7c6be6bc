'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { validatedAction } from '@/lib/action';
import { audit } from '@/lib/audit';
import { replayEvent } from '@/lib/billing/webhooks/process';

/** Re-process a recorded event. Safe to repeat: handlers are idempotent and guarded by the event row lock. */
export const replayWebhookAction = validatedAction(
  { who: ['admin'], callbackUrl: '/admin/webhooks', schema: z.object({ eventId: z.string().default('') }) },
  async ({ eventId }, { user }) => {
    const result = await replayEvent(eventId);
    if (result === 'missing') return { ok: false, message: 'No such event.' };
    await audit({
      actor: user,
      action: 'webhook.replayed',
      targetType: 'webhook_event',
      targetId: eventId,
      stripeIds: [eventId],
      details: { result },
    });
    revalidatePath(`/admin/webhooks/${eventId}`);
    return {
      ok: result !== 'failed',
      message:
        result === 'failed' ? 'Re-processing failed again; see the error below.' : `Re-processed: ${result}.`,
    };
  },
);
