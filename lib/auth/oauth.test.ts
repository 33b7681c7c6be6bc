import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { enabledOAuthProviders } from './oauth';

const base = { DATABASE_URL: 'postgresql://u:p@localhost:5432/db', AUTH_SECRET: 'x'.repeat(32) };

describe('enabledOAuthProviders', () => {
  it('offers no OAuth sign-in unless a provider is fully configured', () => {
    expect(enabledOAuthProviders(parseEnv(base))).toEqual([]);
    expect(enabledOAuthProviders(parseEnv({ ...base, AUTH_GITHUB_ID: 'id' }))).toEqual([]);
    expect(
      enabledOAuthProviders(parseEnv({ ...base, AUTH_GOOGLE_ID: 'id', AUTH_GOOGLE_SECRET: '' })),
    ).toEqual([]);
  });

  it('turns on each provider whose id and secret are set', () => {
    const env = parseEnv({
      ...base,
      AUTH_GITHUB_ID: 'gh',
      AUTH_GITHUB_SECRET: 'ghs',
      AUTH_GOOGLE_ID: 'go',
      AUTH_GOOGLE_SECRET: 'gos',
    });
    expect(enabledOAuthProviders(env)).toEqual([
      { id: 'github', name: 'GitHub' },
      { id: 'google', name: 'Google' },
    ]);
  });
});
