import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import { newId } from '../ids';
import type { Op } from '../op';
import { mergeMetadata } from '../resources/common';
import type { Json } from '../types';
import { invalidRequest } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import { bool, metadata, nullableStr, obj, oneOf, pagination, parseShape, str } from '../wire/params';
import { buildAccount, platformAccount, type AccountType } from './account-object';
import { accountInvalid } from './auth';

const businessProfile = () =>
  obj({
    name: nullableStr(),
    url: nullableStr(),
    mcc: nullableStr(),
    product_description: nullableStr(),
    support_email: nullableStr(),
    support_phone: nullableStr(),
    support_url: nullableStr(),
  });

/** `capabilities[card_payments][requested]=true`: requested capabilities are granted on onboarding. */
const capabilities = () => ({
  required: false,
  parse: (value: Json, path: string) => {
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw invalidRequest('Invalid hash', { param: path, validation: true });
    for (const [name, inner] of Object.entries(value)) {
      if (!inner || typeof inner !== 'object' || Array.isArray(inner))
        throw invalidRequest('Invalid hash', { param: `${path}[${name}]`, validation: true });
      parseShape({ requested: bool() }, inner, `${path}[${name}]`);
    }
    return value;
  },
});

const BUSINESS_TYPES = ['individual', 'company', 'non_profit', 'government_entity'] as const;

/** The account object as the caller may see it: its own, or one it is the platform of. */
export function visibleAccount(op: Op, apiKey: string, id: string): Stripe.Account {
  const current = op.store.account;
  if (id === current) return currentAccount(op);
  const meta = op.store.registry.account_meta.get(id);
  const account = op.store.registry.account.get(id);
  if (!account || !meta || meta.platform !== current || meta.deauthorized) throw accountInvalid(apiKey, id);
  return account;
}

/** The account the request acts for (`GET /v1/account`). */
export function currentAccount(op: Op): Stripe.Account {
  return op.store.registry.account.get(op.store.account) ?? platformAccount();
}

function updateProfile(
  account: Stripe.Account,
  profile: { name?: string | null; url?: string | null } & Record<string, string | null | undefined>,
) {
  if (!account.business_profile) return;
  for (const [key, value] of Object.entries(profile)) {
    if (value !== undefined) Object.assign(account.business_profile, { [key]: value });
  }
  if (profile.name !== undefined && account.settings) account.settings.dashboard.display_name = profile.name;
}

export function registerAccounts(emu: Emulator): void {
  const registry = emu.store.registry;

  emu.api.add({
    method: 'POST',
    path: '/v1/accounts',
    handler: ({ op, input }) => {
      // A connected account cannot itself be a platform through its platform's key.
      if (op.platform)
        throw invalidRequest(
          "You cannot access the connected accounts of your platform's connected accounts.",
        );
      const params = parseShape(
        {
          type: oneOf(['standard', 'express', 'custom'] as const),
          country: str({ max: 2 }),
          email: str({ max: 512 }),
          default_currency: str({ max: 3 }),
          business_type: oneOf(BUSINESS_TYPES),
          business_profile: businessProfile(),
          capabilities: capabilities(),
          controller: { required: false, parse: (value: Json) => value },
          metadata: metadata(),
        },
        input,
      );
      const type: AccountType = params.type ?? (params.controller ? 'express' : 'standard');
      const account = buildAccount({
        id: `acct_1${newId('x').slice(2, 17)}`,
        type,
        created: op.now(),
        connected: true,
        onboarded: false,
        email: params.email ?? null,
        country: (params.country ?? 'US').toUpperCase(),
        default_currency: (params.default_currency ?? 'usd').toLowerCase(),
        business_name: params.business_profile?.name ?? null,
        business_url: params.business_profile?.url ?? null,
        business_type: params.business_type ?? null,
        metadata: mergeMetadata({}, params.metadata),
      });
      if (params.business_profile) updateProfile(account, params.business_profile);
      registry.account.set(account);
      registry.account_meta.set({ id: account.id, platform: op.store.account, deauthorized: false });
      return account;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/accounts',
    handler: ({ op, input }) => {
      const params = parseShape(
        { ...pagination, created: { required: false, parse: (v: Json) => v } },
        input,
      );
      const mine = registry.account_meta
        .values()
        .filter((meta) => meta.platform === op.store.account && !meta.deauthorized)
        .map((meta) => registry.account.get(meta.id))
        .filter((account): account is Stripe.Account & { created: number } => account?.created !== undefined);
      return paginate(newestFirst(mine), params, '/v1/accounts');
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/account',
    handler: ({ op, input }) => {
      parseShape({}, input);
      return currentAccount(op);
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/accounts/:id',
    handler: ({ op, id, input, apiKey }) => {
      parseShape({}, input);
      return visibleAccount(op, apiKey, id);
    },
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/accounts/:id',
    handler: ({ op, id, input, apiKey }) => {
      const account = visibleAccount(op, apiKey, id);
      const params = parseShape(
        {
          email: nullableStr(),
          default_currency: str({ max: 3 }),
          business_type: oneOf(BUSINESS_TYPES),
          business_profile: businessProfile(),
          capabilities: capabilities(),
          metadata: metadata(),
        },
        input,
      );
      if (!registry.account.has(account.id))
        throw invalidRequest('The platform account cannot be updated through the API in the emulator.');
      const before = structuredClone(account);
      if (params.email !== undefined) account.email = params.email;
      if (params.default_currency !== undefined)
        account.default_currency = params.default_currency.toLowerCase();
      if (params.business_type !== undefined) account.business_type = params.business_type;
      if (params.business_profile) updateProfile(account, params.business_profile);
      account.metadata = mergeMetadata(account.metadata ?? {}, params.metadata);
      registry.account.set(account);
      op.store.within(account.id, () => op.emitUpdated('account.updated', before, account));
      return account;
    },
  });
  emu.api.add({
    method: 'DELETE',
    path: '/v1/accounts/:id',
    handler: ({ op, id, input, apiKey }) => {
      parseShape({}, input);
      const account = visibleAccount(op, apiKey, id);
      if (!registry.account.has(account.id) || account.id === op.store.account)
        throw invalidRequest('An account cannot delete itself through the API.');
      registry.account.delete(account.id);
      registry.account_meta.delete(account.id);
      emu.store.dropAccount(account.id);
      return { id: account.id, object: 'account', deleted: true };
    },
  });
}
