import { registerCheckoutSubscriptions } from './billing/checkout-subscription';
import { registerInvoiceFlow } from './billing/invoices';
import { registerSubscriptionFlow } from './billing/lifecycle';
import { registerScheduler } from './billing/scheduler';
import { registerControl } from './control';
import type { Emulator } from './emulator';
import { registerCheckoutPages } from './pages/checkout';
import { registerInvoicePages } from './pages/invoice';
import { registerPortalPages } from './pages/portal';
import { registerCheckoutFlow } from './payments/checkout';
import { registerBillingPortal } from './resources/billing-portal';
import { registerCharges } from './resources/charges';
import { registerCheckoutSessions } from './resources/checkout-sessions';
import { registerCouponsAndPromotionCodes } from './resources/coupons';
import { registerCustomers } from './resources/customers';
import { registerEntitlements } from './resources/entitlements';
import { registerEvents } from './resources/events';
import { registerInvoiceItems, registerInvoicePayments } from './resources/invoice-items';
import { registerInvoicePreview } from './resources/invoice-preview';
import { registerInvoices } from './resources/invoices';
import { registerPaymentIntents } from './resources/payment-intents';
import { registerPaymentMethods } from './resources/payment-methods';
import { registerPrices } from './resources/prices';
import { registerProducts } from './resources/products';
import { registerDisputes } from './resources/disputes';
import { registerRefunds } from './resources/refunds';
import { registerSearch } from './resources/search';
import { registerSubscriptionItems } from './resources/subscription-items';
import { registerSubscriptions } from './resources/subscriptions';
import { registerTestClocks } from './resources/test-clocks';
import { registerWebhookEndpoints } from './resources/webhook-endpoints';

/** Every resource, flow and page registers its routes and hooks here (hook order matters). */
export function registerAll(emu: Emulator): void {
  // Before the resources: `/v1/customers/search` is not `/v1/customers/:id`.
  registerSearch(emu);
  registerCustomers(emu);
  registerProducts(emu);
  registerPrices(emu);
  registerPaymentMethods(emu);
  registerPaymentIntents(emu);
  registerCharges(emu);
  registerRefunds(emu);
  registerDisputes(emu);
  registerCheckoutSessions(emu);
  registerCheckoutFlow(emu);
  registerWebhookEndpoints(emu);
  registerEvents(emu);
  // Billing: invoices settle first, then subscriptions follow them, then Checkout completes.
  registerInvoiceFlow(emu);
  registerSubscriptionFlow(emu);
  registerCheckoutSubscriptions(emu);
  registerScheduler(emu);
  registerSubscriptions(emu);
  registerSubscriptionItems(emu);
  registerInvoicePreview(emu);
  registerInvoices(emu);
  registerInvoicePayments(emu);
  registerInvoiceItems(emu);
  registerCouponsAndPromotionCodes(emu);
  registerEntitlements(emu);
  registerBillingPortal(emu);
  registerTestClocks(emu);
  registerCheckoutPages(emu);
  registerInvoicePages(emu);
  registerPortalPages(emu);
  registerControl(emu);
}
