'use server';

import { randomUUID } from 'node:crypto';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { requireUser } from '@/lib/auth/session';
import { redeemCoupon } from '@/lib/billing/credits/coupons';
import { REPORT_COST, spendCredits } from '@/lib/billing/credits/ledger';
import { purchaseSchema, startCreditPurchase } from '@/lib/billing/credits/purchase';
import { requireBilling } from '@/lib/billing/gate';
import { BillingError } from '@/lib/billing/stripe';

export interface ActionState {
  ok?: boolean;
  message?: string;
}

export async function generateReportAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  requireBilling();
  const user = await requireUser('/credits');
  // The form carries a one-time request id, so a double submit spends once.
  const requestId = z.string().uuid().catch(randomUUID()).parse(formData.get('requestId'));
  const result = await spendCredits(user.id, REPORT_COST, 'Generated a report', requestId);
  return result.ok
    ? { ok: true, message: `Report generated. ${REPORT_COST} credits spent; ${result.balance} left.` }
    : { ok: false, message: result.message };
}

export async function redeemCouponAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  requireBilling();
  const user = await requireUser('/credits');
  const result = await redeemCoupon(user.id, String(formData.get('code') ?? ''));
  return result.ok
    ? { ok: true, message: `Coupon applied: +${result.credits} credits. Balance: ${result.balance}.` }
    : { ok: false, message: result.message };
}

export async function buyCreditsAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  requireBilling();
  const user = await requireUser('/credits');
  const pack = formData.get('pack');
  const dollars = formData.get('dollars');
  const input = pack
    ? { pack: String(pack) }
    : { amount: Math.round(Number(dollars) * 100), currency: 'usd' };
  if (!pack && !/^\d+(\.\d{1,2})?$/.test(String(dollars ?? '').trim()))
    return { ok: false, message: 'Enter an amount in dollars, like 25 or 12.50.' };
  const parsed = purchaseSchema().safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      message: parsed.error.issues[0]?.message.replace(/^amount/, 'The amount') ?? 'Invalid amount.',
    };
  let url: string | null;
  try {
    url = (await startCreditPurchase(user, parsed.data, String(formData.get('requestId') ?? '') || undefined))
      .checkoutUrl;
  } catch (error) {
    return {
      ok: false,
      message:
        error instanceof BillingError ? error.publicMessage : 'Could not start checkout. Please try again.',
    };
  }
  if (!url) return { ok: false, message: 'This purchase is already finished.' };
  redirect(url);
}
