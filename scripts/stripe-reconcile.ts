// `npm run stripe:reconcile`: pull customers, subscriptions, invoices,
// payments, refunds and entitlements from Stripe and repair the mirror.
// Prints every change it makes. Safe to run while webhooks are arriving.
import nextEnv from '@next/env';
import { projectRoot } from './lib/schema-engine';

nextEnv.loadEnvConfig(projectRoot);
if (!process.env.STRIPE_SECRET_KEY) {
  console.error('STRIPE_SECRET_KEY is not set: billing is off, there is nothing to reconcile.');
  process.exit(1);
}
// Imported after the env is loaded: lib/ reads it once, on first use.
const { reconcileAll } = await import('../lib/billing/reconcile');
const { db } = await import('../lib/db');
console.log('Reconciling the mirror with Stripe…');
const { customers, changes } = await reconcileAll(undefined, (line) => console.log(`  ${line}`));
console.log(
  changes.length
    ? `Done: ${changes.length} change(s) across ${customers} customer(s).`
    : `Done: ${customers} customer(s) checked, the mirror already matched Stripe.`,
);
await db.$disconnect();
