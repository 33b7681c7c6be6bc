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
});
