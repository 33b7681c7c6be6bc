// `npm run bench:webhooks`: throughput and latency of POST /api/stripe/webhook
// on a production build (`next start`, one instance) at concurrency 16.
// Every event is verified, deduplicated and durably recorded before the 2xx,
// then applied after the response. Prints figures; it is not a test.
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Stripe from 'stripe';
import { freePort } from './lib/embedded-postgres';
import { scriptPrisma } from './lib/prisma';
import { projectRoot } from './lib/schema-engine';
import { prepareDatabase, startDatabase } from './lib/stack';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 6000);
const WARMUP = 500;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECRET = 'whsec_benchmarkSecretForTollgate0000';
const log = (line: string) => console.log(`[bench] ${line}`);
const signer = new Stripe('sk_test_signing_only');

function subscriptionEvent(i: number, customerId: string): string {
  const now = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    id: `evt_bench_${i}_${Math.random().toString(36).slice(2, 10)}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: now,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'customer.subscription.updated',
    data: {
      previous_attributes: { cancel_at_period_end: true },
      object: {
        id: `sub_bench_${i}`,
        object: 'subscription',
        customer: customerId,
        status: 'active',
        cancel_at_period_end: false,
        cancel_at: null,
        canceled_at: null,
        ended_at: null,
        trial_start: null,
        trial_end: null,
        created: now - 86_400,
        livemode: false,
        latest_invoice: null,
        items: {
          object: 'list',
          data: [
            {
              id: `si_bench_${i}`,
              object: 'subscription_item',
              quantity: 1,
              current_period_start: now - 3600,
              current_period_end: now + 30 * 86_400,
              price: {
                id: 'price_bench',
                object: 'price',
                lookup_key: 'pro_monthly',
                product: 'prod_bench',
                recurring: { interval: 'month' },
              },
            },
          ],
        },
      },
    },
  });
}

// A lean keep-alive client, so the load generator takes as little as possible
// of the CPU it shares with the server and Postgres on this machine.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function post(url: string, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'stripe-signature': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function run(url: string, count: number, offset: number, customerId: string) {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const worker = async () => {
    while (next < count) {
      const i = offset + next++;
      const payload = subscriptionEvent(i, customerId);
      const header = signer.webhooks.generateTestHeaderString({ payload, secret: SECRET });
      const t = performance.now();
      const status = await post(url, payload, header);
      latencies.push(performance.now() - t);
      if (status !== 200) errors += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    seconds,
    rate: count / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    errors,
  };
}

const database = await startDatabase('test', log);
let app: ReturnType<typeof spawn> | undefined;
try {
  await prepareDatabase(database.url, log, { seed: false });
  if (!existsSync(path.join(projectRoot, '.next', 'BUILD_ID')) || process.env.BENCH_BUILD === '1') {
    log('Building (next build)…');
    if (spawnSync('npx', ['next', 'build'], { cwd: projectRoot, stdio: 'inherit' }).status !== 0)
      throw new Error('build failed');
  }
  const prisma = scriptPrisma(database.url);
  const user = await prisma.user.create({ data: { email: 'bench@example.com', referralCode: 'BENCH001' } });
  const customerId = 'cus_bench';
  await prisma.customer.create({ data: { id: customerId, userId: user.id, lastEventAt: new Date(0) } });
  log('Events go to one customer, each for its own subscription (the worst case for row locks).');

  const port = await freePort();
  app = spawn(
    process.execPath,
    [
      path.join(projectRoot, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    {
      cwd: projectRoot,
      stdio: 'ignore',
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: database.url,
        AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-00',
        STRIPE_SECRET_KEY: 'sk_test_benchmarkKey',
        STRIPE_WEBHOOK_SECRET: SECRET,
        STRIPE_API_URL: 'http://127.0.0.1:9',
        SWEEP_INTERVAL_MS: '0',
        LOG_LEVEL: 'silent',
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i += 1) {
    if ((await fetch(`${base}/api/health`).catch(() => null))?.ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const url = `${base}/api/stripe/webhook`;
  log(`Warming up with ${WARMUP} events…`);
  await run(url, WARMUP, 0, customerId);
  log(`Posting ${TOTAL} signed customer.subscription.updated events at concurrency ${CONCURRENCY}…`);
  const result = await run(url, TOTAL, WARMUP, customerId);
  const recorded = await prisma.webhookEvent.count();
  const applyStart = performance.now();
  let applied = 0;
  for (let i = 0; i < 240; i += 1) {
    applied = await prisma.webhookEvent.count({ where: { status: { in: ['processed', 'ignored'] } } });
    if (applied >= recorded) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const applySeconds = (performance.now() - applyStart) / 1000;
  console.log('');
  console.log(`events/s (ack)   ${result.rate.toFixed(0)}`);
  console.log(`latency p50      ${result.p50.toFixed(1)} ms`);
  console.log(`latency p90      ${result.p90.toFixed(1)} ms`);
  console.log(`latency p99      ${result.p99.toFixed(1)} ms`);
  console.log(`non-2xx          ${result.errors}`);
  console.log(`recorded         ${recorded} of ${TOTAL + WARMUP}`);
  console.log(`applied          ${applied} (${applySeconds.toFixed(1)} s after the last ack)`);
  console.log(
    `target           ≥ 770 events/s with p99 ≤ 50 ms: ${result.rate >= 770 && result.p99 <= 50 ? 'met' : 'NOT met'}`,
  );
  await prisma.$disconnect();
} finally {
  app?.kill('SIGTERM');
  await database.stop();
}
