import type { Json } from '../types';
import { paramError } from '../wire/errors';

/** How the emulator's Billing behaves where Stripe lets the account choose (Dashboard settings). */
export interface BillingSettings {
  /** What happens to a subscription once every retry of a renewal payment has failed. */
  dunning_final_action: 'cancel' | 'unpaid';
  /**
   * `smart`: Stripe's default Smart Retries, `smart_retry_count` retries within
   * `smart_retry_window_days` of the first failure; `custom`: the fixed `dunning_retry_days`.
   */
  dunning_retry_policy: 'smart' | 'custom';
  /** Smart Retries: how many retries (Stripe recommends 8). */
  smart_retry_count: number;
  /** Smart Retries: within how many days of the first failure (1 week, 2 weeks, 3 weeks, 1 or 2 months). */
  smart_retry_window_days: 7 | 14 | 21 | 30 | 60;
  /** A custom schedule: days between a failed renewal payment and each retry (relative to the previous attempt). */
  dunning_retry_days: number[];
  /** Days before a renewal that `invoice.upcoming` is sent. */
  upcoming_invoice_days: number;
  /** How a plan switch in the hosted portal handles prorations. */
  portal_proration_behavior: 'create_prorations' | 'always_invoice' | 'none';
  /** The business name the portal shows ("Return to ..."); null uses the return URL's host. */
  business_name: string | null;
}

export type BillingSettingsInput = Partial<BillingSettings>;

export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  dunning_final_action: 'cancel',
  // "The recommended default is 8 tries within 2 weeks" (https://docs.stripe.com/billing/revenue-recovery/smart-retries).
  dunning_retry_policy: 'smart',
  smart_retry_count: 8,
  smart_retry_window_days: 14,
  dunning_retry_days: [3, 5, 7],
  upcoming_invoice_days: 7,
  portal_proration_behavior: 'create_prorations',
  business_name: null,
};

function days(value: Json | undefined, param: string): number {
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isFinite(parsed) || parsed <= 0 || parsed > 365)
    throw paramError(`Invalid ${param}: ${String(value)} (1 to 365 days)`, param);
  return parsed;
}

/** Validates a partial update (JSON or form) and returns the merged settings. */
export function parseBillingSettings(
  input: BillingSettingsInput | Record<string, Json>,
  base: BillingSettings,
): BillingSettings {
  const source: Record<string, Json | undefined> = { ...input } as Record<string, Json | undefined>;
  const out: BillingSettings = { ...base, dunning_retry_days: [...base.dunning_retry_days] };
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (key === 'dunning_final_action') {
      if (value !== 'cancel' && value !== 'unpaid')
        throw paramError("dunning_final_action must be 'cancel' or 'unpaid'", key);
      out.dunning_final_action = value;
    } else if (key === 'dunning_retry_policy') {
      if (value !== 'smart' && value !== 'custom')
        throw paramError("dunning_retry_policy must be 'smart' or 'custom'", key);
      out.dunning_retry_policy = value;
    } else if (key === 'smart_retry_count') {
      const count = days(value, key);
      if (!Number.isInteger(count) || count > 8) throw paramError('smart_retry_count must be 1 to 8.', key);
      out.smart_retry_count = count;
    } else if (key === 'smart_retry_window_days') {
      const window = days(value, key);
      if (window !== 7 && window !== 14 && window !== 21 && window !== 30 && window !== 60)
        throw paramError('smart_retry_window_days must be 7, 14, 21, 30 or 60.', key);
      out.smart_retry_window_days = window;
    } else if (key === 'dunning_retry_days') {
      const list = Array.isArray(value)
        ? value
        : typeof value === 'object' && value
          ? Object.values(value)
          : value === ''
            ? []
            : [value];
      if (list.length > 8) throw paramError('At most 8 retries.', key);
      out.dunning_retry_days = list.map((item, index) => days(item, `${key}[${index}]`));
    } else if (key === 'upcoming_invoice_days') {
      out.upcoming_invoice_days = days(value, key);
    } else if (key === 'portal_proration_behavior') {
      if (value !== 'create_prorations' && value !== 'always_invoice' && value !== 'none') {
        throw paramError(
          "portal_proration_behavior must be 'create_prorations', 'always_invoice' or 'none'",
          key,
        );
      }
      out.portal_proration_behavior = value;
    } else if (key === 'business_name') {
      out.business_name = value === null || value === '' ? null : String(value);
    } else {
      throw paramError(`Received unknown parameter: ${key}`, key, 'parameter_unknown');
    }
  }
  return out;
}

/** Billing state kept in memory only: what is happening inside the current operations. */
export class BillingRuntime {
  /** Subscriptions being created right now (their creator announces them). */
  readonly creating = new Set<string>();
  /** PaymentIntents whose current attempt is on-session (a customer paying, not a retry). */
  readonly onSession = new Set<string>();
  /** Up to when the global (non-test-clock) billing work has run. */
  globalRunUntil: number | null = null;

  constructor(public settings: BillingSettings) {}
}
