'use server';

import { revalidatePath } from 'next/cache';
import { requireRole } from '@/lib/auth/session';
import { issueRefund, REFUND_ROLES, refundSchema } from '@/lib/billing/refunds';
import { BillingError } from '@/lib/billing/stripe';
import type { AdminActionState } from './users';

export async function refundAction(_prev: AdminActionState, formData: FormData): Promise<AdminActionState> {
  const actor = await requireRole(REFUND_ROLES, '/admin/payments');
  const parsed = refundSchema.safeParse({
    paymentId: formData.get('paymentId'),
    amount: Math.round(Number(formData.get('dollars')) * 100),
    reason: formData.get('reason'),
    stripeReason: formData.get('stripeReason') || undefined,
    token: formData.get('token'),
  });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'Check the form.' };
  try {
    const refund = await issueRefund(actor, parsed.data);
    revalidatePath(`/admin/payments/${parsed.data.paymentId}`);
    return {
      ok: true,
      message: `Refund ${refund.refundId} requested (${(refund.amount / 100).toFixed(2)}). It appears below once Stripe confirms it.`,
    };
  } catch (error) {
    return {
      ok: false,
      message: error instanceof BillingError ? error.publicMessage : 'The refund failed. Try again.',
    };
  }
}
