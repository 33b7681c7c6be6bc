'use server';

import { randomUUID } from 'node:crypto';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { runIdempotent } from '@/lib/api/idempotency';
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
  // The form's one-time request id is an idempotency key like the API's, bound to this purchase.
  const requestId = z
    .string()
    .regex(/^(pack-[a-z0-9_]{1,40}-|custom-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    .safeParse(formData.get('requestId'));
  if (!requestId.success) return { ok: false, message: 'Reload the page and try again.' };
  const result = await runIdempotent(
    { ownerId: user.id, key: requestId.data, route: 'action:buy-credits', body: parsed.data },
    async () => {
      try {
        const payment = await startCreditPurchase(user, parsed.data, requestId.data);
        return { status: 201, body: { url: payment.checkoutUrl } };
      } catch (error) {
        if (error instanceof BillingError)
          return { status: error.status, body: { error: error.publicMessage } };
        throw error;
      }
    },
  ).catch(() => ({ status: 500, body: { error: 'Could not start checkout. Please try again.' } }));
  const body = result.body as { url?: string | null; error?: string };
  if (result.status !== 201) return { ok: false, message: body.error ?? 'Could not start checkout.' };
  if (!body.url) return { ok: false, message: 'This purchase is already finished.' };
  redirect(body.url);
}
