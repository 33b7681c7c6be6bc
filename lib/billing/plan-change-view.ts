import 'server-only';
import type { PreviewView } from '@/components/billing/change-plan';
import type { PlanOption } from '@/components/billing/plan-options';
import { formatMoney, plans } from '@/lib/billing/catalog';
import { BillingError } from '@/lib/billing/errors';
import { previewPlanChange } from '@/lib/billing/plan-change';
import { formatDate } from '@/lib/format';

const per = { month: 'month', year: 'year' } as const;

/** Every plan and interval but the current one, for the "Change plan" card. */
export function planOptions(currentLookupKey: string | null): PlanOption[] {
  return plans.flatMap((plan) =>
    (['month', 'year'] as const)
      .filter((interval) => plan.prices[interval].lookupKey !== currentLookupKey)
      .map((interval) => ({
        lookupKey: plan.prices[interval].lookupKey,
        label: `${plan.name} (${interval === 'year' ? 'yearly' : 'monthly'})`,
        price: `${formatMoney(plan.prices[interval].amount)} / ${per[interval]}`,
      })),
  );
}

/** The dialog's content: the preview formatted for display, or the safe reason there is none. */
export async function planChangeView(
  workspaceId: string,
  lookupKey: string,
): Promise<{ preview: PreviewView | null; error: string | null }> {
  try {
    const p = await previewPlanChange(workspaceId, lookupKey);
    return {
      error: null,
      preview: {
        lookupKey,
        title: `${p.planName} (${p.interval === 'year' ? 'yearly' : 'monthly'})`,
        dueNow: formatMoney(p.dueNow, p.currency),
        credit: p.credit > 0 ? formatMoney(p.credit, p.currency) : null,
        next: formatMoney(p.nextAmount, p.currency),
        nextDate: formatDate(p.nextDate),
        prorationDate: p.prorationDate,
        issuedAt: p.issuedAt,
        signature: p.signature,
      },
    };
  } catch (error) {
    if (error instanceof BillingError) return { preview: null, error: error.publicMessage };
    throw error;
  }
}
