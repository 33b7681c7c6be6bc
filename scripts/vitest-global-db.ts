// Vitest global setup for integration tests: one fresh, real PostgreSQL per
// run (embedded, or a new database on DATABASE_URL's server), migrated and
// seeded, and a fresh in-memory Stripe emulator. Workers inherit the env.
import { prepareDatabase, startDatabase } from './lib/stack';
import { startStripe } from './lib/stripe-stack';

const TEST_APP_URL = 'http://127.0.0.1:3999';

export default async function setup() {
  const log = (line: string) => console.log(`[integration] ${line}`);
  const database = await startDatabase('test', log);
  let stripe: Awaited<ReturnType<typeof startStripe>>;
  try {
    await prepareDatabase(database.url, log, { seed: true });
    stripe = await startStripe('test', TEST_APP_URL, log);
  } catch (error) {
    await database.stop();
    throw error;
  }
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    AUTH_SECRET: 'integration-test-secret-integration-test-secret',
    APP_URL: TEST_APP_URL,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...(stripe.settings ?? {}),
  });
  return async () => {
    await stripe.stop();
    await database.stop();
  };
}
