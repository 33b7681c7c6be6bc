import type { Emulator } from '../emulator';
import { resolveSetupChallenge } from '../payments/setup';
import { enterCustomerTime } from '../billing/time';
import { html, redirect } from '../router';
import { challengePage, layout } from './layout';

/** The test page standing in for the issuer's 3-D Secure challenge when a card is set up. */
export function registerSetupChallengePage(emu: Emulator): void {
  emu.pages.add({
    method: 'GET',
    path: '/3ds/setup/:id',
    handler: (call) => {
      const si = emu.store.objects.setup_intent.get(call.params.id ?? '');
      if (!si) return html(layout('Not found', '<h1>No such SetupIntent</h1>'), 404);
      return html(
        challengePage(`/3ds/setup/${si.id}`, si.status, 'saving a card for later payments', 'card'),
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
