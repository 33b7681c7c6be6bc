'use server';

import { randomUUID } from 'node:crypto';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { validatedAction } from '@/lib/action';
import { runIdempotent } from '@/lib/api/idempotency';
import { redeemCoupon } from '@/lib/billing/credits/coupons';
import { REPORT_COST, spendCredits } from '@/lib/billing/credits/ledger';
import { purchaseSchema, startCreditPurchase } from '@/lib/billing/credits/purchase';
import { BillingError } from '@/lib/billing/errors';
import { formatCount } from '@/lib/format';

// Every member may use and top up nothing but credits they can see: spending and coupons need
// the 'use' right in the form's workspace, buying needs 'billing'.
const member = { who: 'user', callbackUrl: '/credits', billing: true, workspace: 'use' } as const;
const buyer = { ...member, workspace: 'billing' } as const;

export const generateReportAction = validatedAction(
  // The form carries a one-time request id, so a double submit spends once.
  { ...member, schema: z.object({ requestId: z.uuid().catch(() => randomUUID()) }) },
  async ({ requestId }, { workspace }) => {
    const result = await spendCredits(workspace!.id, REPORT_COST, 'Generated a report', requestId);
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
  async ({ code }, { user, workspace }) => {
    const result = await redeemCoupon({ workspaceId: workspace!.id, userId: user.id }, code);
    return result.ok
      ? {
          ok: true,
          message: `Coupon applied: +${formatCount(result.credits)} credits. Balance: ${formatCount(result.balance)}.`,
        }
      : { ok: false, message: result.message };
  },
);

const DOLLARS = /^\d+(\.\d{1,2})?$/;
// The form's one-time request id is an idempotency key like the API's, bound to this purchase.
const REQUEST_ID =
  /^(pack-[a-z0-9_]{1,40}-|custom-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const buyForm = z.object({
  pack: z.string().optional(),
  dollars: z.string().default(''),
  requestId: z.string().default(''),
});

export const buyCreditsAction = validatedAction(
  { ...buyer, schema: buyForm, failure: 'Could not start checkout. Please try again.' },
  async ({ pack, dollars, requestId }, { user, workspace }) => {
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
    if (!REQUEST_ID.test(requestId)) return { ok: false, message: 'Reload the page and try again.' };
    const result = await runIdempotent(
      { ownerId: workspace!.id, key: requestId, route: 'action:buy-credits', body: parsed.data },
      async () => {
        try {
          const payment = await startCreditPurchase({ workspace: workspace!, user }, parsed.data, requestId);
          return { status: 201, body: { url: payment.checkoutUrl } };
        } catch (error) {
          if (error instanceof BillingError)
            return { status: error.status, body: { error: error.publicMessage } };
          throw error;
        }
      },
    );
    const body = result.body as { url?: string | null; error?: string };
    if (result.status !== 201) return { ok: false, message: body.error ?? 'Could not start checkout.' };
    if (!body.url) return { ok: false, message: 'This purchase is already finished.' };
    redirect(body.url);
  },
);
