// `npm run stripe:sync`: make the configured Stripe account match the catalog
// in lib/billing/catalog.ts. Safe to run any number of times.
import nextEnv from '@next/env';
import { syncCatalog } from '../lib/billing/catalog-sync';
import { projectRoot } from './lib/schema-engine';
import { redact, stripeFor } from './lib/stack';

nextEnv.loadEnvConfig(projectRoot);
const key = process.env.STRIPE_SECRET_KEY;
if (!key) {
  console.error(
    'STRIPE_SECRET_KEY is not set: billing is off, there is nothing to sync. (npm run dev syncs the local emulator by itself.)',
  );
  process.exit(1);
}
const apiUrl = process.env.STRIPE_API_URL;
console.log(
  `Syncing the catalog to ${apiUrl ? redact(apiUrl) : 'Stripe'} (${key.startsWith('sk_live_') ? 'LIVE' : 'test'} mode)…`,
);
const { changes } = await syncCatalog(stripeFor(key, apiUrl), (line) => console.log(`  ${line}`));
console.log(changes.length ? `Done: ${changes.length} change(s).` : 'Already in sync: nothing changed.');
