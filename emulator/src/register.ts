import { registerControl } from './control';
import type { Emulator } from './emulator';
import { registerCheckoutPages } from './pages/checkout';
import { registerCheckoutFlow } from './payments/checkout';
import { registerCharges } from './resources/charges';
import { registerCheckoutSessions } from './resources/checkout_sessions';
import { registerCustomers } from './resources/customers';
import { registerEvents } from './resources/events';
import { registerPaymentIntents } from './resources/payment_intents';
import { registerPaymentMethods } from './resources/payment_methods';
import { registerPrices } from './resources/prices';
import { registerProducts } from './resources/products';
import { registerRefunds } from './resources/refunds';
import { registerWebhookEndpoints } from './resources/webhook_endpoints';

/** Every resource, flow and page registers its routes and hooks here. Part 2 adds its own lines. */
export function registerAll(emu: Emulator): void {
  registerCustomers(emu);
  registerProducts(emu);
  registerPrices(emu);
  registerPaymentMethods(emu);
  registerPaymentIntents(emu);
  registerCharges(emu);
  registerRefunds(emu);
  registerCheckoutSessions(emu);
  registerCheckoutFlow(emu);
  registerWebhookEndpoints(emu);
  registerEvents(emu);
  registerCheckoutPages(emu);
  registerControl(emu);
}
