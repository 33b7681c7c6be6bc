// The Stripe side of the local stack: with no STRIPE_SECRET_KEY configured,
// start the emulator, point the app at it and register the app's webhook
// endpoint, whose whsec_ secret the app then verifies deliveries with, and its
// Connect endpoint (events of workspaces' connected accounts).
import path from 'node:path';
import { syncCatalog } from '../../lib/billing/catalog-sync';
import { APP_NAME } from '../../lib/brand';
import { projectRoot } from './schema-engine';
import { stripeFor, type Log } from './stack';

export interface StripeSettings {
  STRIPE_SECRET_KEY: string;
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_CONNECT_WEBHOOK_SECRET?: string;
  STRIPE_API_URL?: string;
}

export interface StripeStack {
  settings: StripeSettings | null;
  emulatorUrl?: string;
  stop: () => Promise<void>;
}

export const LOCAL_SECRET_KEY = 'sk_test_51TollgateLocalEmulatorKey0000';

export async function startStripe(mode: 'dev' | 'test', appUrl: string, log: Log): Promise<StripeStack> {
  const configured = process.env.STRIPE_SECRET_KEY;
  if (configured) {
    log(`Using the Stripe account of STRIPE_SECRET_KEY (${configured.slice(0, 8)}…).`);
    return {
      settings: {
        STRIPE_SECRET_KEY: configured,
        STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET,
        STRIPE_CONNECT_WEBHOOK_SECRET: process.env.STRIPE_CONNECT_WEBHOOK_SECRET,
        STRIPE_API_URL: process.env.STRIPE_API_URL,
      },
      stop: async () => {},
    };
  }
  const { startEmulator } = await import('@tollgate/stripe-emulator');
  const emulator = await startEmulator({
    port: mode === 'dev' ? Number(process.env.STRIPE_EMULATOR_PORT ?? 12111) : 0,
    host: '127.0.0.1',
    dataFile: mode === 'dev' ? path.join(projectRoot, '.data', 'emulator', 'state.json') : null,
    retrySchedule: mode === 'dev' ? undefined : [200, 500, 1000],
    quiet: true,
    // What Stripe's Dashboard calls the business name: checkout and the portal show it. Tests
    // count dunning attempts on the fixed 3/5/7-day schedule; dev keeps Stripe's Smart Retries.
    billing: {
      business_name: APP_NAME,
      ...(mode === 'test' ? { dunning_retry_policy: 'custom' as const } : {}),
    },
  });
  log(`Started the Stripe emulator at ${emulator.url} (no STRIPE_SECRET_KEY set).`);
  try {
    const stripe = stripeFor(LOCAL_SECRET_KEY, emulator.url);
    const webhookUrl = `${appUrl}/api/stripe/webhook`;
    const connectUrl = `${appUrl}/api/stripe/webhook/connect`;
    // Re-register on every start: the secret is only returned on creation.
    for (const endpoint of (await stripe.webhookEndpoints.list({ limit: 100 })).data) {
      if (endpoint.url === webhookUrl || endpoint.url === connectUrl)
        await stripe.webhookEndpoints.del(endpoint.id);
    }
    const endpoint = await stripe.webhookEndpoints.create({
      url: webhookUrl,
      enabled_events: ['*'],
      description: 'Tollgate (local)',
    });
    log(`Registered webhook endpoint ${endpoint.id} → ${webhookUrl}.`);
    // Events of connected accounts (each carries `account`) arrive at their own endpoint and secret.
    const connect = await stripe.webhookEndpoints.create({
      url: connectUrl,
      enabled_events: ['*'],
      connect: true,
      description: 'Tollgate Connect (local)',
    });
    log(`Registered Connect webhook endpoint ${connect.id} → ${connectUrl}.`);
    const { changes } = await syncCatalog(stripe);
    log(
      changes.length
        ? `Synced the catalog to the emulator (${changes.length} change(s)).`
        : 'Catalog already in sync with the emulator.',
    );
    return {
      settings: {
        STRIPE_SECRET_KEY: LOCAL_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: endpoint.secret,
        STRIPE_CONNECT_WEBHOOK_SECRET: connect.secret,
        STRIPE_API_URL: emulator.url,
      },
      emulatorUrl: emulator.url,
      stop: () => emulator.close(),
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
