'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { validatedAction } from '@/lib/action';
import { formatMoney } from '@/lib/format';
import { RESOLVE_ROLES, resolveReview, resolveReviewSchema } from '@/lib/billing/credits/resolve';
import { issueRefund, REFUND_ROLES, refundSchema } from '@/lib/billing/refunds';

// The form says dollars; the refund is in cents.
const refundForm = z.preprocess((form) => {
  const { dollars, stripeReason, ...rest } = form as Record<string, unknown>;
  return { ...rest, amount: Math.round(Number(dollars) * 100), stripeReason: stripeReason || undefined };
}, refundSchema);

export const refundAction = validatedAction(
  {
    who: REFUND_ROLES,
    callbackUrl: '/admin/payments',
    schema: refundForm,
    failure: 'The refund failed. Try again.',
  },
  async (input, { user }) => {
    const refund = await issueRefund(user, input);
    revalidatePath(`/admin/payments/${input.paymentId}`);
    return {
      ok: true,
      message: `Refund ${refund.refundId} requested (${formatMoney(refund.amount)}). It appears below once Stripe confirms it.`,
    };
  },
);

export const resolveReviewAction = validatedAction(
  {
    who: RESOLVE_ROLES,
    callbackUrl: '/admin/payments',
    schema: resolveReviewSchema,
    failure: 'Could not resolve the payment. Try again.',
  },
  async (input, { user }) => {
    const result = await resolveReview(user, input);
    revalidatePath(`/admin/payments/${input.paymentId}`);
    return { ok: true, message: result.message };
  },
);
