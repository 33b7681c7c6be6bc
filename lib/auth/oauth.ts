import type { Env } from '@/lib/env';

export type OAuthProviderId = 'github' | 'google';

/** GitHub and Google sign-in are opt-in: each is on only when both of its variables are set. */
export function enabledOAuthProviders(config: Env): Array<{ id: OAuthProviderId; name: string }> {
  const on: Array<{ id: OAuthProviderId; name: string }> = [];
  if (config.AUTH_GITHUB_ID && config.AUTH_GITHUB_SECRET) on.push({ id: 'github', name: 'GitHub' });
  if (config.AUTH_GOOGLE_ID && config.AUTH_GOOGLE_SECRET) on.push({ id: 'google', name: 'Google' });
  return on;
}
