import type { Emulator } from '../emulator';
import { PLATFORM_ACCOUNT } from '../store';
import { escapeHtml as e, layout } from './layout';

/** The delivery log as a page: what was sent where, and what came back. */
export function dashboardPage(emu: Emulator): string {
  const rows = [...emu.deliveries.log]
    .reverse()
    .slice(0, 300)
    .map(
      (a) => `<tr>
<td>${e(a.at.replace('T', ' ').slice(0, 19))}</td><td><code>${e(a.event_type)}</code><br><small><code>${e(a.event_id)}</code></small></td>
<td><small>${e(a.url)}</small>${a.account ? `<br><small>for <code>${e(a.account)}</code></small>` : ''}</td><td class="num">${a.attempt}${a.duplicate ? ' (dup)' : ''}</td>
<td>${e(a.status)}</td><td class="num">${a.status_code ?? '—'}</td><td class="num">${a.duration_ms} ms</td>
<td><small>${e(a.error ?? a.response_excerpt.slice(0, 120))}</small></td></tr>`,
    )
    .join('');
  const store = emu.store;
  const endpoints = store
    .accounts()
    .flatMap((account) =>
      store.within(account, () =>
        store.objects.webhook_endpoint.values().map((w) => {
          const connect = store.internal.webhook_secret.get(w.id)?.connect ? ', Connect' : '';
          return `<li><code>${e(w.id)}</code> on <code>${e(account)}</code> → ${e(w.url)} (${e(w.status)}${connect}; ${e(w.enabled_events.join(', '))})</li>`;
        }),
      ),
    )
    .join('');
  const accounts = store.registry.account_meta
    .values()
    .map((meta) => {
      const account = store.registry.account.get(meta.id);
      const how = meta.platform
        ? `connected to <code>${e(meta.platform)}</code>${meta.deauthorized ? ', disconnected' : ''}`
        : 'standalone, own keys';
      const state = account?.charges_enabled ? 'charges enabled' : 'onboarding';
      return `<li><code>${e(meta.id)}</code> ${e(account?.email ?? '')} (${how}; ${state})</li>`;
    })
    .join('');
  const chaos = JSON.stringify(emu.chaos);
  const billing = JSON.stringify(emu.billing.settings);
  return layout(
    'Stripe emulator – deliveries',
    `<span class="badge">TEST MODE</span><h1>Stripe emulator</h1>
<p class="note">API at <code>${e(emu.baseUrl)}/v1</code>. ${emu.deliveries.pendingCount()} deliveries pending. Chaos: <code>${e(chaos)}</code>. Billing settings: <code>${e(billing)}</code>. JSON: <a href="/_emulator/deliveries">/_emulator/deliveries</a>.</p>
<h2>Accounts</h2><ul><li><code>${e(PLATFORM_ACCOUNT)}</code> (the platform: any other test key)</li>${accounts}</ul>
<h2>Webhook endpoints</h2><ul>${endpoints || '<li>None yet.</li>'}</ul>
<h2>Delivery attempts (newest first)</h2>
<table><thead><tr><th>Time</th><th>Event</th><th>Endpoint</th><th class="num">Attempt</th><th>Status</th><th class="num">HTTP</th><th class="num">Took</th><th>Response / error</th></tr></thead>
<tbody>${rows || '<tr><td colspan="8">No deliveries yet.</td></tr>'}</tbody></table>`,
    { wide: true, refreshSeconds: 5 },
  );
}
