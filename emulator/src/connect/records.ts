import type Stripe from 'stripe';

/** A connected or standalone account's bookkeeping that the Account object does not show. */
export interface AccountMeta {
  id: string;
  /** The account whose key created it (its Connect platform); null for a standalone account. */
  platform: string | null;
  /** The platform lost access (`account.application.deauthorized`). */
  deauthorized: boolean;
}

/** An API key the emulator issued to a standalone account (`POST /_emulator/accounts`). */
export interface ApiKeyRecord {
  id: string;
  account: string;
  kind: 'secret' | 'restricted' | 'publishable';
  revoked: boolean;
}

/** An Account Link: a one-visit onboarding URL. */
export interface AccountLinkRecord {
  id: string;
  account: string;
  refresh_url: string;
  return_url: string;
  expires_at: number;
  visited: boolean;
  submitted: boolean;
}

/** Tables shared by all accounts: who exists, whose keys are whose. */
export interface Registry {
  account: Stripe.Account;
  account_meta: AccountMeta;
  api_key: ApiKeyRecord;
  account_link: AccountLinkRecord;
}
