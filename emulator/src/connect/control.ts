import type { Emulator } from '../emulator';
import { randomString } from '../ids';
import { json } from '../router';
import { PLATFORM_ACCOUNT } from '../store';
import type { Json } from '../types';
import { invalidRequest, paramError, resourceMissing } from '../wire/errors';
import { maskKey } from '../wire/http';
import { buildAccount, applicationOf } from './account-object';

const TEST_KEY = /^(sk|rk|pk)_test_[A-Za-z0-9]+$/;

function text(body: Record<string, Json>, key: string, max: number): string | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max)
    throw paramError(`${key} must be a string of at most ${max} characters.`, key);
  return value;
}

function onlyKnown(body: Record<string, Json>, known: string[]): void {
  for (const key of Object.keys(body))
    if (!known.includes(key))
      throw paramError(`Received unknown parameter: ${key}`, key, 'parameter_unknown');
}

/**
 * Emulator-only Connect helpers: standalone accounts with their own keys (for the "paste your own
 * restricted key" integration), revoking a key, and a connected account leaving its platform.
 */
export function registerConnectControl(emu: Emulator): void {
  const registry = emu.store.registry;

  emu.pages.add({
    method: 'POST',
    path: '/_emulator/accounts',
    handler: ({ op, body }) => {
      onlyKnown(body, ['email', 'business_name']);
      const email = text(body, 'email', 512);
      const businessName = text(body, 'business_name', 200);
      const account = buildAccount({
        id: `acct_1${randomString(15)}`,
        type: 'standard',
        created: op.now(),
        connected: false,
        onboarded: true,
        email,
        country: 'US',
        default_currency: 'usd',
        business_name: businessName,
        business_url: null,
        business_type: 'company',
        metadata: {},
      });
      registry.account.set(account);
      registry.account_meta.set({ id: account.id, platform: null, deauthorized: false });
      const issue = (prefix: string, kind: 'secret' | 'restricted' | 'publishable') => {
        const key = `${prefix}_test_51${randomString(96)}`;
        registry.api_key.set({ id: key, account: account.id, kind, revoked: false });
        return key;
      };
      return json(
        {
          id: account.id,
          secret_key: issue('sk', 'secret'),
          restricted_key: issue('rk', 'restricted'),
          publishable_key: issue('pk', 'publishable'),
        },
        201,
      );
    },
  });

  emu.pages.add({
    method: 'POST',
    path: '/_emulator/keys/revoke',
    handler: ({ body }) => {
      onlyKnown(body, ['key']);
      const key = text(body, 'key', 300);
      if (!key) throw paramError('Missing required param: key.', 'key', 'parameter_missing');
      if (!TEST_KEY.test(key)) throw paramError('key must be a test mode API key.', 'key');
      const record = registry.api_key.get(key);
      const kind = key.startsWith('sk_') ? 'secret' : key.startsWith('rk_') ? 'restricted' : 'publishable';
      // Any other test key means the platform: revoking it takes it away from the platform.
      registry.api_key.set({ id: key, account: record?.account ?? PLATFORM_ACCOUNT, kind, revoked: true });
      return json({ key: maskKey(key), revoked: true });
    },
  });

  emu.pages.add({
    method: 'POST',
    path: '/_emulator/accounts/:id/deauthorize',
    handler: ({ op, params }) => {
      const id = params.id ?? '';
      const meta = registry.account_meta.get(id);
      if (!meta || !registry.account.has(id)) throw resourceMissing('account', id, 'id', 404);
      if (!meta.platform) throw invalidRequest(`Account ${id} is not connected to a platform.`);
      if (meta.deauthorized) throw invalidRequest(`Account ${id} is already disconnected from its platform.`);
      const application = { id: applicationOf(meta.platform), object: 'application' as const, name: null };
      // Sent before access ends, so the platform's Connect endpoints still hear it.
      op.store.within(id, () => op.emit('account.application.deauthorized', application));
      registry.account_meta.set({ ...meta, deauthorized: true });
      return json({ id, deauthorized: true });
    },
  });
}
