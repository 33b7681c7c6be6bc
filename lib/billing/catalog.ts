// The catalog as code: plans, their features (Stripe Entitlements lookup keys)
// and credit packs. `npm run stripe:sync` creates or updates the matching
// products, prices (by lookup key) and features in the configured Stripe
// account. The app resolves prices by lookup key; no price id is hard-coded.

export type Interval = 'month' | 'year';

export interface Feature {
  lookupKey: string;
  name: string;
}

/** How Stripe bills a change in seat count mid-period (Stripe's `proration_behavior`). */
export type SeatProration = 'create_prorations' | 'always_invoice' | 'none';

export interface SeatRules {
  /** Billed seats never go below this, however few members there are. */
  minSeats: number;
  /** Invitations stop here; null is no limit. */
  maxSeats: number | null;
  /** Default `create_prorations` (Stripe's own default): the difference goes on the next invoice. */
  proration?: SeatProration;
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
  /** A per-seat plan: prices are per seat, and the quantity follows the workspace's member count. */
  perSeat?: SeatRules;
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
  {
    key: 'team',
    name: 'Team',
    description: 'Per seat: every member of the workspace, billed as they join.',
    prices: {
      month: { amount: 1_200, lookupKey: 'team_monthly' },
      year: { amount: 12_000, lookupKey: 'team_yearly' },
    },
    trialDays: 0,
    features: ['premium_reports', 'api_access', 'priority_support'],
    monthlyCredits: 3_000,
    highlights: [
      'Everything in Pro, for the whole team',
      'Billed per member, prorated as people join',
      'Up to 25 seats',
    ],
    perSeat: { minSeats: 1, maxSeats: 25, proration: 'always_invoice' },
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

/** A per-seat plan's rules with defaults filled in, or null for a flat plan. */
export function seatRulesOf(plan: Plan | undefined): Required<SeatRules> | null {
  if (!plan?.perSeat) return null;
  return { proration: 'create_prorations', ...plan.perSeat };
}

/** The seats to bill for `members` members: at least minSeats, at most maxSeats. */
export function billedSeats(members: number, rules: Pick<SeatRules, 'minSeats' | 'maxSeats'>): number {
  const atLeast = Math.max(members, rules.minSeats, 1);
  return rules.maxSeats === null ? atLeast : Math.min(atLeast, rules.maxSeats);
}

export function packByKey(key: string): CreditPack | undefined {
  return creditPacks.find((pack) => pack.key === key);
}

// Kept here for existing imports; the one money formatter lives in lib/format.ts.
export { formatMoney } from '@/lib/format';
