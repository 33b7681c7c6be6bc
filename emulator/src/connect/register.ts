import type { Emulator } from '../emulator';
import { registerAccountLinks } from './account-links';
import { registerAccounts } from './accounts';
import { registerApplicationFees } from './application-fees';
import { registerConnectControl } from './control';

/** Connect: accounts, Account Links and the hosted onboarding page, emulator-only account helpers. */
export function registerConnect(emu: Emulator): void {
  registerAccounts(emu);
  registerAccountLinks(emu);
  registerApplicationFees(emu);
  registerConnectControl(emu);
}
