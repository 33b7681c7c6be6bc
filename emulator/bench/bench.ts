import { parseArgs } from 'node:util';
import Stripe from 'stripe';
import { startEmulator } from '../src/index';

// Throughput and latency of the emulator through the official SDK: a fixed number of requests
// at a fixed concurrency, per scenario. Prints figures; it is not a test.

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function run(name: string, call: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(100, requests); i++) await call(i); // warm-up
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const t0 = performance.now();
        await call(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const rps = (requests / seconds).toFixed(0);
  console.log(
    `${name.padEnd(26)} ${String(requests).padStart(6)} req  ${rps.padStart(6)} req/s  p50 ${percentile(latencies, 50).toFixed(1)} ms  p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0, dataFile: null, quiet: true });
  const stripe = new Stripe('sk_test_benchmark', {
    host: '127.0.0.1',
    port: emulator.port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });
  try {
    console.log(
      `Stripe emulator benchmark: ${requests} requests per scenario, concurrency ${concurrency}, in memory, Node ${process.version}`,
    );
    const product = await stripe.products.create({
      name: 'Bench',
      default_price_data: { currency: 'usd', unit_amount: 1000 },
    });
    const price = String(product.default_price);
    await run('customers.create', (i) =>
      stripe.customers.create({ email: `bench${i}@example.com`, metadata: { i: String(i) } }),
    );
    await run('checkout.sessions.create', () =>
      stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [{ price, quantity: 1 }],
        success_url: 'https://app.example/success?session_id={CHECKOUT_SESSION_ID}',
        cancel_url: 'https://app.example/cancel',
      }),
    );
    // Connect: the same create acting for one of 20 connected accounts (Stripe-Account), and a
    // list on one of them while the platform and the other accounts hold the rows above.
    const accounts: string[] = [];
    for (let i = 0; i < 20; i++) accounts.push((await stripe.accounts.create({ type: 'express' })).id);
    await run('customers.create (Connect)', (i) =>
      stripe.customers.create(
        { email: `bench${i}@example.com` },
        { stripeAccount: accounts[i % accounts.length] ?? '' },
      ),
    );
    await run('customers.list (Connect)', (i) =>
      stripe.customers.list({ limit: 10 }, { stripeAccount: accounts[i % accounts.length] ?? '' }),
    );
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
