'use server';

import { randomUUID } from 'node:crypto';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { validatedAction } from '@/lib/action';
import { redeemCoupon } from '@/lib/billing/credits/coupons';
import { REPORT_COST, spendCredits } from '@/lib/billing/credits/ledger';
import { purchaseSchema, startCreditPurchase } from '@/lib/billing/credits/purchase';
import { formatCount } from '@/lib/format';

const member = { who: 'user', callbackUrl: '/credits', billing: true } as const;

export const generateReportAction = validatedAction(
  // The form carries a one-time request id, so a double submit spends once.
  { ...member, schema: z.object({ requestId: z.uuid().catch(() => randomUUID()) }) },
  async ({ requestId }, { user }) => {
    const result = await spendCredits(user.id, REPORT_COST, 'Generated a report', requestId);
    return result.ok
      ? {
          ok: true,
          message: `Report generated. ${REPORT_COST} credits spent; ${formatCount(result.balance)} left.`,
        }
      : { ok: false, message: result.message };
  },
);

export const redeemCouponAction = validatedAction(
  { ...member, schema: z.object({ code: z.string().default('') }) },
  async ({ code }, { user }) => {
    const result = await redeemCoupon(user.id, code);
    return result.ok
      ? {
          ok: true,
          message: `Coupon applied: +${formatCount(result.credits)} credits. Balance: ${formatCount(result.balance)}.`,
        }
      : { ok: false, message: result.message };
  },
);

const DOLLARS = /^\d+(\.\d{1,2})?$/;

const buyForm = z.object({
  pack: z.string().optional(),
  dollars: z.string().default(''),
  requestId: z.string().optional(),
});

export const buyCreditsAction = validatedAction(
  { ...member, schema: buyForm, failure: 'Could not start checkout. Please try again.' },
  async ({ pack, dollars, requestId }, { user }) => {
    if (!pack && !DOLLARS.test(dollars.trim()))
      return { ok: false, message: 'Enter an amount in dollars, like 25 or 12.50.' };
    const parsed = purchaseSchema().safeParse(
      pack ? { pack } : { amount: Math.round(Number(dollars) * 100), currency: 'usd' },
    );
    if (!parsed.success)
      return {
        ok: false,
        message: parsed.error.issues[0]?.message.replace(/^amount/, 'The amount') ?? 'Invalid amount.',
      };
    const { checkoutUrl } = await startCreditPurchase(user, parsed.data, requestId || undefined);
    if (!checkoutUrl) return { ok: false, message: 'This purchase is already finished.' };
    redirect(checkoutUrl);
  },
);
