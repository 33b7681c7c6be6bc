import type { Emulator } from '../emulator';
import { randomString } from '../ids';
import { escapeHtml, layout } from '../pages/layout';
import { html, redirect } from '../router';
import { invalidRequest, paramError } from '../wire/errors';
import { oneOf, parseShape, req, str } from '../wire/params';
import { completeOnboarding } from './account-object';
import { visibleAccount } from './accounts';

/** Stripe's Account Links expire a few minutes after creation. */
const LINK_TTL_SECONDS = 300;

function checkUrl(url: string, param: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
  } catch {
    // fall through to Stripe's error
  }
  throw paramError(`Not a valid URL`, param, 'url_invalid');
}

/**
 * Account Links: a one-visit URL to the hosted onboarding page. Submitting it ("Agree and
 * submit") completes onboarding, sends `account.updated` and returns to `return_url`; a link that
 * expired or was already visited sends the browser to `refresh_url` for a fresh one.
 */
export function registerAccountLinks(emu: Emulator): void {
  const registry = emu.store.registry;

  emu.api.add({
    method: 'POST',
    path: '/v1/account_links',
    handler: ({ op, input, apiKey }) => {
      const params = parseShape(
        {
          account: req(str()),
          type: req(oneOf(['account_onboarding', 'account_update'] as const)),
          refresh_url: str(),
          return_url: str(),
          collect: oneOf(['currently_due', 'eventually_due'] as const),
          collection_options: { required: false, parse: (value) => value },
        },
        input,
      );
      const account = visibleAccount(op, apiKey, params.account);
      if (!registry.account_meta.get(account.id)?.platform)
        throw invalidRequest('You can only create Account Links for accounts connected to your platform.', {
          param: 'account',
        });
      if (params.refresh_url === undefined)
        throw paramError('Missing required param: refresh_url.', 'refresh_url', 'parameter_missing');
      if (params.return_url === undefined)
        throw paramError('Missing required param: return_url.', 'return_url', 'parameter_missing');
      const token = randomString(24);
      const expiresAt = op.now() + LINK_TTL_SECONDS;
      registry.account_link.set({
        id: token,
        account: account.id,
        refresh_url: checkUrl(params.refresh_url, 'refresh_url'),
        return_url: checkUrl(params.return_url, 'return_url'),
        expires_at: expiresAt,
        visited: false,
        submitted: false,
      });
      return {
        object: 'account_link',
        created: op.now(),
        expires_at: expiresAt,
        url: `${emu.baseUrl}/setup/s/${account.id}/${token}`,
      };
    },
  });

  const linkOf = (token: string | undefined) => registry.account_link.get(token ?? '');

  emu.pages.add({
    method: 'GET',
    path: '/setup/s/:account/:token',
    handler: ({ op, params }) => {
      const link = linkOf(params.token);
      if (!link || link.account !== params.account)
        return html(layout('Not found', '<h1>This onboarding link does not exist</h1>'), 404);
      if (link.visited || op.now() > link.expires_at) return redirect(link.refresh_url);
      registry.account_link.set({ ...link, visited: true });
      const account = registry.account.get(link.account);
      const name = account?.business_profile?.name ?? account?.email ?? link.account;
      return html(
        layout(
          'Set up your Stripe account',
          `<span class="badge">TEST MODE</span><h1>Set up payments for ${escapeHtml(name)}</h1>
<p>This page stands in for Stripe's hosted onboarding. In test mode nothing is verified.</p>
<p class="note">Account <code>${escapeHtml(link.account)}</code></p>
<form method="post"><button type="submit" name="submit" value="agree">Agree and submit</button></form>`,
        ),
      );
    },
  });

  emu.pages.add({
    method: 'POST',
    path: '/setup/s/:account/:token',
    handler: ({ op, params }) => {
      const link = linkOf(params.token);
      if (!link || link.account !== params.account)
        return html(layout('Not found', '<h1>This onboarding link does not exist</h1>'), 404);
      // A form left open for long still submits once; a second submit gets a fresh link.
      if (link.submitted) return redirect(link.refresh_url);
      const account = registry.account.get(link.account);
      const meta = registry.account_meta.get(link.account);
      if (!account || !meta || meta.deauthorized) return redirect(link.refresh_url);
      registry.account_link.set({ ...link, visited: true, submitted: true });
      const before = structuredClone(account);
      completeOnboarding(account, op.now());
      registry.account.set(account);
      op.store.within(account.id, () => op.emitUpdated('account.updated', before, account));
      return redirect(link.return_url);
    },
  });
}
