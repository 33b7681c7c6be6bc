import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

const valid = { DATABASE_URL: 'postgresql://u:p@localhost:5432/db', AUTH_SECRET: 'x'.repeat(32) };

describe('parseEnv', () => {
  it('accepts a minimal environment and fills defaults', () => {
    const env = parseEnv(valid);
    expect(env.APP_URL).toBe('http://localhost:3000');
    expect(env.DUNNING_GRACE_DAYS).toBe(7);
    expect(env.STRIPE_SECRET_KEY).toBeUndefined();
  });

  it('names a missing variable and says what it should look like', () => {
    expect(() => parseEnv({ AUTH_SECRET: valid.AUTH_SECRET })).toThrowError(
      /DATABASE_URL is required, e\.g\. postgresql:\/\//,
    );
  });

  it('rejects a malformed Stripe key with the expected shape in the message', () => {
    try {
      parseEnv({ ...valid, STRIPE_SECRET_KEY: 'pk_test_123' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).problems).toEqual([
        'STRIPE_SECRET_KEY must look like sk_test_… or sk_live_… (or a restricted rk_ key)',
      ]);
    }
  });

  it('treats an empty optional variable as unset (billing stays off)', () => {
    expect(parseEnv({ ...valid, STRIPE_SECRET_KEY: '' }).STRIPE_SECRET_KEY).toBeUndefined();
  });

  it('rejects a short AUTH_SECRET', () => {
    expect(() => parseEnv({ ...valid, AUTH_SECRET: 'short' })).toThrowError(
      /AUTH_SECRET must be at least 32 characters/,
    );
  });

  it('trusts no proxy by default and validates TRUSTED_PROXY_HOPS', () => {
    expect(parseEnv(valid).TRUSTED_PROXY_HOPS).toBe(0);
    expect(parseEnv({ ...valid, TRUSTED_PROXY_HOPS: '1' }).TRUSTED_PROXY_HOPS).toBe(1);
    expect(() => parseEnv({ ...valid, TRUSTED_PROXY_HOPS: 'yes' })).toThrowError(
      /TRUSTED_PROXY_HOPS must be/,
    );
    expect(() => parseEnv({ ...valid, TRUSTED_PROXY_HOPS: '-1' })).toThrowError(
      /TRUSTED_PROXY_HOPS must be 0/,
    );
  });

  it('reads ADMIN_EMAILS as a lower-cased list and names a malformed entry', () => {
    expect(parseEnv({ ...valid, ADMIN_EMAILS: ' Boss@Example.com, ops@example.com ' }).ADMIN_EMAILS).toEqual([
      'boss@example.com',
      'ops@example.com',
    ]);
    expect(() => parseEnv({ ...valid, ADMIN_EMAILS: 'boss@example.com,nope' })).toThrowError(
      /ADMIN_EMAILS.*comma-separated list/,
    );
  });
});
