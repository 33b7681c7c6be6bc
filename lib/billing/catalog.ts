// The catalog as code: plans, their features (Stripe Entitlements lookup keys)
// and credit packs. `npm run stripe:sync` creates or updates the matching
// products, prices (by lookup key) and features in the configured Stripe
// account. The app resolves prices by lookup key; no price id is hard-coded.

export type Interval = 'month' | 'year';

export interface Feature {
  lookupKey: string;
  name: string;
}

export interface Plan {
  key: string;
  name: string;
  description: string;
  /** Cents per month and per year, in USD. */
  prices: Record<Interval, { amount: number; lookupKey: string }>;
  trialDays: number;
  /** Entitlement lookup keys this plan grants. */
  features: string[];
  /** Credits granted on each paid invoice. */
  monthlyCredits: number;
  highlights: string[];
}

export interface CreditPack {
  key: string;
  name: string;
  credits: number;
  /** Cents, in USD. One credit is one cent. */
  amount: number;
  lookupKey: string;
}

export const CURRENCY = 'usd';
export const CREDIT_VALUE_CENTS = 1;

export const features: Feature[] = [
  { lookupKey: 'premium_reports', name: 'Premium reports' },
  { lookupKey: 'api_access', name: 'API access' },
  { lookupKey: 'priority_support', name: 'Priority support' },
];

export const plans: Plan[] = [
  {
    key: 'starter',
    name: 'Starter',
    description: 'For individuals getting started.',
    prices: {
      month: { amount: 900, lookupKey: 'starter_monthly' },
      year: { amount: 9_000, lookupKey: 'starter_yearly' },
    },
    trialDays: 0,
    features: ['premium_reports'],
    monthlyCredits: 500,
    highlights: ['Premium reports', '500 credits every month'],
  },
  {
    key: 'pro',
    name: 'Pro',
    description: 'For teams that rely on it every day.',
    prices: {
      month: { amount: 2_900, lookupKey: 'pro_monthly' },
      year: { amount: 29_000, lookupKey: 'pro_yearly' },
    },
    trialDays: 14,
    features: ['premium_reports', 'api_access', 'priority_support'],
    monthlyCredits: 3_000,
    highlights: [
      'Everything in Starter',
      'API access',
      'Priority support',
      '3,000 credits every month',
      '14-day free trial',
    ],
  },
];

export const creditPacks: CreditPack[] = [
  { key: 'credits_1000', name: '1,000 credits', credits: 1_000, amount: 1_000, lookupKey: 'credits_1000' },
  { key: 'credits_5000', name: '5,000 credits', credits: 5_000, amount: 5_000, lookupKey: 'credits_5000' },
  {
    key: 'credits_20000',
    name: '20,000 credits',
    credits: 20_000,
    amount: 20_000,
    lookupKey: 'credits_20000',
  },
];

export function planByKey(key: string): Plan | undefined {
  return plans.find((plan) => plan.key === key);
}

/** The plan and interval a recurring price's lookup key belongs to. */
export function planForLookupKey(
  lookupKey: string | null | undefined,
): { plan: Plan; interval: Interval } | undefined {
  for (const plan of plans) {
    for (const interval of ['month', 'year'] as const) {
      if (plan.prices[interval].lookupKey === lookupKey) return { plan, interval };
    }
  }
  return undefined;
}

export function packByKey(key: string): CreditPack | undefined {
  return creditPacks.find((pack) => pack.key === key);
}

// Kept here for existing imports; the one money formatter lives in lib/format.ts.
export { formatMoney } from '@/lib/format';
