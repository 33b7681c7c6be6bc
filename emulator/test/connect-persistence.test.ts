import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index';
import { sdk, stripeError } from './helpers';

describe('Connect state across a restart', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stripe-emulator-connect-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps accounts, their keys, revocations and their objects apart', async () => {
    const dataFile = join(dir, 'state.json');
    const first = await startEmulator({ port: 0, dataFile, quiet: true });
    const platform = sdk(first.port);
    const account = await platform.accounts.create({ type: 'standard' });
    const onAccount = await platform.customers.create(
      { email: 'a@x.example' },
      { stripeAccount: account.id },
    );
    const onPlatform = await platform.customers.create({ email: 'p@x.example' });
    const created = await fetch(`${first.url}/_emulator/accounts`, { method: 'POST' });
    const shop = (await created.json()) as { id: string; secret_key: string; restricted_key: string };
    const shopProduct = await sdk(first.port, shop.restricted_key).products.create({ name: 'Shop' });
    await fetch(`${first.url}/_emulator/keys/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: shop.secret_key }),
    });
    await first.close();

    const second = await startEmulator({ port: 0, dataFile, quiet: true });
    try {
      const again = sdk(second.port);
      expect((await again.customers.list()).data.map((c) => c.id)).toEqual([onPlatform.id]);
      const theirs = await again.customers.list({}, { stripeAccount: account.id });
      expect(theirs.data.map((c) => c.id)).toEqual([onAccount.id]);
      expect((await again.accounts.list()).data.map((a) => a.id)).toEqual([account.id]);
      const own = sdk(second.port, shop.restricted_key);
      expect((await own.accounts.retrieveCurrent()).id).toBe(shop.id);
      expect((await own.products.list()).data.map((p) => p.id)).toEqual([shopProduct.id]);
      const revoked = await stripeError(sdk(second.port, shop.secret_key).products.list());
      expect(revoked).toMatchObject({ statusCode: 401, code: 'api_key_expired' });
    } finally {
      await second.close();
    }
  });
});
