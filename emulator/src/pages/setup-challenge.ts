import type { Emulator } from '../emulator';
import { resolveSetupChallenge } from '../payments/setup';
import { enterCustomerTime } from '../billing/time';
import { html, redirect } from '../router';
import { escapeHtml as e, layout } from './layout';

/** The test page standing in for the issuer's 3-D Secure challenge when a card is set up. */
export function registerSetupChallengePage(emu: Emulator): void {
  emu.pages.add({
    method: 'GET',
    path: '/3ds/setup/:id',
    handler: (call) => {
      const si = emu.store.objects.setup_intent.get(call.params.id ?? '');
      if (!si) return html(layout('Not found', '<h1>No such SetupIntent</h1>'), 404);
      const form = (outcome: string, label: string, cls: string) =>
        `<form method="post" action="/3ds/setup/${e(si.id)}"><input type="hidden" name="outcome" value="${outcome}"><button type="submit" class="${cls}">${label}</button></form>`;
      const body =
        si.status === 'requires_action'
          ? `<p>This is a test page standing in for the card issuer's 3-D Secure 2 challenge for saving a card for later payments.</p>${form('complete', 'Complete', '')}${form('fail', 'Fail', 'secondary')}`
          : `<p>This card no longer needs authentication (status: ${e(si.status)}).</p>`;
      return html(
        layout(
          '3D Secure 2 Test Page',
          `<span class="badge">TEST MODE</span><h1>3D Secure 2 Test Page</h1>${body}`,
        ),
      );
    },
  });
  emu.pages.add({
    method: 'POST',
    path: '/3ds/setup/:id',
    handler: (call) => {
      const si = emu.store.objects.setup_intent.get(call.params.id ?? '');
      if (!si) return html(layout('Not found', '<h1>No such SetupIntent</h1>'), 404);
      if (si.status !== 'requires_action') return redirect(`/3ds/setup/${si.id}`);
      enterCustomerTime(call.op, si.customer);
      const outcome = call.body.outcome === 'complete' ? 'complete' : 'fail';
      const next = resolveSetupChallenge(call.op, si, outcome);
      if (next) return redirect(next);
      return html(
        layout(
          'Authentication finished',
          `<h1>Authentication ${outcome === 'complete' ? 'completed' : 'failed'}</h1><p>You can close this page.</p>`,
        ),
      );
    },
  });
}
