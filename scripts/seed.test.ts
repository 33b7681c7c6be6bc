import { describe, expect, it } from 'vitest';
import { seed, seedRefusal } from './seed';

describe('the demo seed', () => {
  it('refuses a production build and a live key, before touching any database', async () => {
    await expect(seed('postgresql://nobody@127.0.0.1:1/none', { NODE_ENV: 'production' })).rejects.toThrow(
      /Refusing to seed demo accounts in a production build/,
    );
    await expect(
      seed('postgresql://nobody@127.0.0.1:1/none', {
        NODE_ENV: 'development',
        STRIPE_SECRET_KEY: 'sk_live_abc',
      }),
    ).rejects.toThrow(/live Stripe key/);
    expect(seedRefusal({ NODE_ENV: 'development', STRIPE_SECRET_KEY: 'rk_live_abc' })).toMatch(
      /live Stripe key/,
    );
  });

  it('runs in development and tests, with a test key or none', () => {
    expect(seedRefusal({ NODE_ENV: 'development' })).toBeNull();
    expect(seedRefusal({ NODE_ENV: 'test', STRIPE_SECRET_KEY: 'sk_test_abc' })).toBeNull();
    expect(seedRefusal({})).toBeNull();
  });
});
