import type Stripe from 'stripe';
import { PLATFORM_ACCOUNT } from '../store';

export type AccountType = 'standard' | 'express' | 'custom';

/** What Stripe still wants before an account may take charges (a fresh connected account). */
const DUE = [
  'business_profile.mcc',
  'business_profile.url',
  'external_account',
  'representative.first_name',
  'representative.last_name',
  'tos_acceptance.date',
  'tos_acceptance.ip',
];

export function requirements(due: string[]): Stripe.Account.Requirements {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: [...due],
    disabled_reason: due.length ? 'requirements.past_due' : null,
    errors: [],
    eventually_due: [...due],
    past_due: [...due],
    pending_verification: [],
  };
}

/** The Connect application of a platform (`ca_...`), named on fees and deauthorization events. */
export function applicationOf(platform: string): string {
  return `ca_${platform.slice('acct_'.length)}App`;
}

function controllerFor(type: AccountType, connected: boolean): Stripe.Account.Controller {
  if (!connected) return { type: 'account' };
  if (type === 'standard') {
    return {
      type: 'application',
      is_controller: true,
      fees: { payer: 'account' },
      losses: { payments: 'stripe' },
      requirement_collection: 'stripe',
      stripe_dashboard: { type: 'full' },
    };
  }
  return {
    type: 'application',
    is_controller: true,
    fees: { payer: 'application' },
    losses: { payments: 'application' },
    requirement_collection: type === 'custom' ? 'application' : 'stripe',
    stripe_dashboard: { type: type === 'express' ? 'express' : 'none' },
  };
}

export interface AccountInput {
  id: string;
  type: AccountType;
  created: number;
  /** Connected to a platform (false: a standalone account with its own keys). */
  connected: boolean;
  /** Details submitted and charges enabled (a standalone account, or after onboarding). */
  onboarded: boolean;
  email: string | null;
  country: string;
  default_currency: string;
  business_name: string | null;
  business_url: string | null;
  business_type: Stripe.Account.BusinessType | null;
  metadata: Record<string, string>;
}

/** An Account as Stripe returns it to its platform (or to itself). */
export function buildAccount(input: AccountInput): Stripe.Account {
  const capability = input.onboarded ? 'active' : 'inactive';
  return {
    id: input.id,
    object: 'account',
    business_profile: {
      annual_revenue: null,
      estimated_worker_count: null,
      mcc: input.onboarded ? '5734' : null,
      minority_owned_business_designation: null,
      name: input.business_name,
      product_description: null,
      specified_commercial_transactions_act_url: null,
      support_address: null,
      support_email: null,
      support_phone: null,
      support_url: null,
      url: input.business_url,
    },
    business_type: input.business_type,
    capabilities: { card_payments: capability, transfers: capability },
    charges_enabled: input.onboarded,
    controller: controllerFor(input.type, input.connected),
    country: input.country,
    created: input.created,
    default_currency: input.default_currency,
    details_submitted: input.onboarded,
    email: input.email,
    external_accounts: {
      object: 'list',
      data: [],
      has_more: false,
      url: `/v1/accounts/${input.id}/external_accounts`,
    },
    future_requirements: requirements([]),
    metadata: input.metadata,
    payouts_enabled: input.onboarded,
    requirements: requirements(input.onboarded ? [] : DUE),
    settings: {
      bacs_debit_payments: { display_name: null, service_user_number: null },
      branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
      card_payments: {
        decline_on: { avs_failure: false, cvc_failure: false },
        statement_descriptor_prefix: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
      dashboard: { display_name: input.business_name, timezone: 'Etc/UTC' },
      invoices: { default_account_tax_ids: null, hosted_payment_method_save: 'offer' },
      payments: {
        statement_descriptor: null,
        statement_descriptor_kana: null,
        statement_descriptor_kanji: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
      payouts: {
        debit_negative_balances: true,
        schedule: { delay_days: 2, interval: 'daily' },
        statement_descriptor: null,
      },
      sepa_debit_payments: {},
    },
    tos_acceptance: { date: input.onboarded ? input.created : null, ip: null, user_agent: null },
    type: input.type,
  };
}

/** Onboarding done: details submitted, charges and payouts enabled, nothing due. */
export function completeOnboarding(account: Stripe.Account, now: number): void {
  account.details_submitted = true;
  account.charges_enabled = true;
  account.payouts_enabled = true;
  account.capabilities = { ...account.capabilities, card_payments: 'active', transfers: 'active' };
  account.requirements = requirements([]);
  if (account.business_profile) account.business_profile.mcc ??= '5734';
  account.tos_acceptance = { date: now, ip: '127.0.0.1', user_agent: 'Stripe emulator' };
}

/** The platform's own account (`GET /v1/account` with a platform key). */
export function platformAccount(): Stripe.Account {
  return buildAccount({
    id: PLATFORM_ACCOUNT,
    type: 'standard',
    created: 1_700_000_000,
    connected: false,
    onboarded: true,
    email: 'platform@example.com',
    country: 'US',
    default_currency: 'usd',
    business_name: 'Stripe emulator platform',
    business_url: null,
    business_type: 'company',
    metadata: {},
  });
}
