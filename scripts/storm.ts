// `npm run test:storm`: a storm of real deliveries against the built app (ADR 0017).
// Two `next start` instances share one embedded PostgreSQL behind a load balancer; the Stripe
// emulator delivers with chaos (duplicates, reordering, delays, concurrent deliveries, injected
// 5xx and timeouts, events held and released late). Seeded customer lives cover every handler,
// test clocks advance, PostgreSQL restarts mid-storm and `npm run stripe:reconcile` runs while
// webhooks apply. Pass: the mirror equals Stripe's objects read back through the SDK, row for row.
// STORM_SEED replays a storm, STORM_LIVES sizes it (60 by default; `npm test` runs a bounded one).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '@tollgate/stripe-emulator';
import { syncCatalog } from '../lib/billing/catalog-sync';
import { APP_NAME } from '../lib/brand';
import { LOCAL_SECRET_KEY } from './lib/stripe-stack';
import { scriptPrisma } from './lib/prisma';
import { projectRoot } from './lib/schema-engine';
import { prepareDatabase, stripeFor } from './lib/stack';
import { signIn } from './lib/bench-http';
import { demoAccounts } from './lib/demo-accounts';
import { compareAll } from './storm/compare';
import { runLife, type LifeResult, type World } from './storm/lives';
import { runReconcile, startApp, startBalancer, startDatabase, type App } from './storm/stack';

const SEED = Number(process.env.STORM_SEED ?? Math.floor(Math.random() * 1e9));
const LIVES = Number(process.env.STORM_LIVES ?? 60);
const PARALLEL = Number(process.env.STORM_PARALLEL ?? 4);
const CHAOS = {
  duplicate: 0.3,
  reorder: true,
  delayMs: [0, 25],
  concurrency: 4,
  failRate: 0.08,
  hold: ['customer.subscription.created', 'charge.refunded', 'customer.updated'],
};
const started = Date.now();
const log = (line: string) =>
  console.log(`[storm ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}`);

async function control(url: string, body: unknown = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

log(`seed ${SEED} (replay with STORM_SEED=${SEED}), ${LIVES} lives, ${PARALLEL} at a time`);
if (!existsSync(path.join(projectRoot, '.next', 'BUILD_ID'))) {
  log('no production build: running next build…');
  if (spawnSync('npx', ['next', 'build'], { cwd: projectRoot, stdio: 'inherit' }).status !== 0)
    process.exit(1);
}

const database = await startDatabase();
const apps: App[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
let exitCode = 1;
try {
  await prepareDatabase(database.url, log, { seed: true });
  const emulator = await startEmulator({
    port: 0,
    dataFile: null,
    retrySchedule: [250, 500, 1000, 2000, 4000, 8000, 15000],
    quiet: true,
    billing: { business_name: APP_NAME },
  });
  cleanups.push(() => emulator.close());
  const stripe = stripeFor(LOCAL_SECRET_KEY, emulator.url);
  await syncCatalog(stripe);
  // A recurring add-on that is not a plan: its product grants priority_support.
  const seatProduct = await stripe.products.create({ name: 'Extra seat' });
  const support = (await stripe.entitlements.features.list({ lookup_key: 'priority_support', limit: 1 }))
    .data[0];
  if (support) await stripe.products.createFeature(seatProduct.id, { entitlement_feature: support.id });
  const seat = await stripe.prices.create({
    product: seatProduct.id,
    currency: 'usd',
    unit_amount: 500,
    recurring: { interval: 'month' },
  });
  const priceOf = async (key: string) =>
    (await stripe.prices.list({ lookup_keys: [key], limit: 1 })).data[0]!.id;

  const balancer = await startBalancer(() => apps.map((a) => a.url));
  cleanups.push(() => balancer.close());
  const endpoint = await stripe.webhookEndpoints.create({
    url: `${balancer.url}/api/stripe/webhook`,
    enabled_events: ['*'],
  });
  const appEnv = {
    DATABASE_URL: database.url,
    AUTH_SECRET: 'storm-secret-storm-secret-storm-secret-00',
    STRIPE_SECRET_KEY: LOCAL_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: endpoint.secret!,
    STRIPE_API_URL: emulator.url,
    JOBS_IN_PROCESS: 'on',
  };
  for (let i = 0; i < 2; i += 1) apps.push(await startApp(appEnv));
  cleanups.push(async () => apps.forEach((a) => a.process.kill('SIGTERM')));
  log(`two instances up (${apps.map((a) => a.url).join(', ')}), webhooks through ${balancer.url}`);

  const db = scriptPrisma(database.url);
  cleanups.push(() => db.$disconnect());
  let staff: Promise<string> | null = null;
  let turn = 0;
  const world: World = {
    stripe,
    db,
    appUrl: () => apps[turn++ % apps.length]!.url,
    emulatorUrl: emulator.url,
    prices: {
      starter_monthly: await priceOf('starter_monthly'),
      pro_monthly: await priceOf('pro_monthly'),
      seat: seat.id,
    },
    staffCookie: () =>
      (staff ??= signIn(apps[0]!.url, demoAccounts.finance.email, demoAccounts.finance.password)),
    log,
  };

  const before = new Set(
    (await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 })).map((e) => e.id),
  );
  await control(`${emulator.url}/_emulator/chaos`, CHAOS);
  log(`chaos on: ${JSON.stringify(CHAOS)}`);
  const results: LifeResult[] = [];
  const reconciles: Array<Promise<{ code: number; lines: string[] }>> = [];
  // PostgreSQL restarts at a third of the lives (traffic goes on around it); reconcile then runs
  // twice, overlapping, while webhooks apply, never across the restart (a one-shot script losing
  // its connection exits by design; the nightly job retries).
  const milestones = new Map<number, () => Promise<void>>([
    [
      Math.ceil(LIVES / 3),
      async () => {
        log('restarting PostgreSQL…');
        await database.restart();
        log('PostgreSQL is back');
      },
    ],
    [Math.ceil(LIVES * 0.5), async () => void reconciles.push(runReconcile(appEnv))],
    [Math.ceil(LIVES * 0.75), async () => void reconciles.push(runReconcile(appEnv))],
  ]);
  let next = 0;
  const worker = async () => {
    while (next < LIVES) {
      const index = next++;
      const t = Date.now();
      const result = await runLife(world, SEED, index);
      results.push(result);
      if (process.env.STORM_VERBOSE)
        log(
          `life ${index} ${result.kind} in ${Date.now() - t} ms: ${result.steps.join(', ')}${result.error ? ` ✖ ${result.error}` : ''}`,
        );
      const milestone = milestones.get(results.length);
      if (milestone) {
        milestones.delete(results.length);
        await milestone();
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  log(`${results.length} lives done`);
  const reconciled = await Promise.all(reconciles);
  const held = ((await (await fetch(`${emulator.url}/_emulator/chaos/held`)).json()) as { held: unknown[] })
    .held;
  log(`releasing ${held.length} held deliveries, chaos off, waiting for every delivery…`);
  await control(`${emulator.url}/_emulator/chaos/release`);
  await control(`${emulator.url}/_emulator/chaos`, {});
  await control(`${emulator.url}/_emulator/flush`, { timeout_ms: 180_000 });
  // Then for the job queue to apply everything recorded. Jobs that failed during the restart wait
  // out graphile-worker's backoff; make them due now (its documented reschedule_jobs, an operator's
  // "retry now") rather than let the verdict wait minutes.
  for (let quiet = 0, t = 0; quiet < 3 && t < 240; t += 1) {
    await db.$queryRaw`SELECT count(*)::int AS n FROM graphile_worker.reschedule_jobs(
      ARRAY(SELECT id FROM graphile_worker.jobs WHERE task_identifier IN ('apply_event', 'apply_events') AND attempts > 0
        AND locked_at IS NULL AND run_at > now()), run_at := now())`;
    const pending = await db.webhookEvent.count({ where: { status: 'received' } });
    quiet = pending === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 1000));
  }

  const attempts = (
    (await (await fetch(`${emulator.url}/_emulator/deliveries`)).json()) as {
      data: Array<{ attempt: number; status: string }>;
    }
  ).data;
  const events = (await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 })).filter(
    (e) => !before.has(e.id),
  ).length;
  const statuses = await db.webhookEvent.groupBy({ by: ['status'], _count: true });
  const expected = results.flatMap((r) => (r.customerId ? [r.customerId] : []));
  const divergences = await compareAll(db, stripe, expected);
  const failedLives = results.filter((r) => r.error);
  // An event left unapplied is a failure even when the mirror happens to match.
  const unapplied = await db.webhookEvent.findMany({
    where: { status: { in: ['received', 'failed'] } },
    select: { id: true, type: true, status: true, error: true },
  });
  const failedReconciles = reconciled.filter((r) => r.code !== 0);
  const steps = new Map<string, number>();
  for (const r of results)
    for (const step of r.steps) {
      const key = step.replace(/ \d+d$| \d{3}$/, '');
      steps.set(key, (steps.get(key) ?? 0) + 1);
    }

  console.log(`\nStorm ${SEED}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`  lives          ${results.length} (${failedLives.length} failed to run)`);
  console.log(`  steps          ${[...steps].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`  events         ${events} created by Stripe, ${balancer.stats.eventIds.size} delivered`);
  console.log(
    `  deliveries     ${balancer.stats.requests} requests to the app, ${balancer.stats.duplicates} duplicates of acknowledged events`,
  );
  console.log(
    `  retries        ${attempts.filter((a) => a.attempt > 1).length} (attempts failed: ${attempts.filter((a) => a.status !== 'succeeded').length}; app 5xx: ${balancer.stats.serverErrors}; unreachable: ${balancer.stats.unreachable})`,
  );
  console.log(`  held           ${held.length} deliveries held, released after the traffic`);
  console.log(`  inbox          ${statuses.map((s) => `${s.status} ${s._count}`).join(', ')}`);
  console.log(`  reconcile      ${reconciled.length} concurrent runs, ${failedReconciles.length} failed`);
  console.log(`  PostgreSQL     restarted once mid-storm`);
  console.log(`  divergences    ${divergences.length}`);
  for (const d of divergences) console.log(`    ✖ ${d}`);
  for (const r of failedLives)
    console.log(`    ✖ life ${r.kind} failed after [${r.steps.join(', ')}]: ${r.error}`);
  for (const r of failedReconciles)
    console.log(`    ✖ reconcile exited ${r.code}: ${r.lines.slice(-40).join('\n      ')}`);
  for (const e of unapplied)
    console.log(`    ✖ event ${e.id} (${e.type}) left ${e.status}: ${e.error ?? ''}`);
  if (unapplied.length) {
    // Why: the queue's view of those events (a job locked by a lost connection, a backoff, none).
    const jobs = await db.$queryRaw<Array<Record<string, unknown>>>`
      SELECT j.key, j.queue_name, j.attempts, j.locked_at, j.locked_by, j.run_at, left(j.last_error, 120) AS error
      FROM graphile_worker.jobs j WHERE j.key = ANY(${unapplied.map((e) => e.id)}::text[]) LIMIT 10`;
    const lines = jobs.map((j) => JSON.stringify(j)).join('\n      ');
    console.log(`    queue: ${jobs.length ? lines : 'no apply_event job for them'}`);
  }
  exitCode = divergences.length || failedLives.length || failedReconciles.length || unapplied.length ? 1 : 0;
  console.log(exitCode ? `\n✖ storm ${SEED} failed` : `\n✔ storm ${SEED}: the mirror equals Stripe`);
} catch (error) {
  console.error(error);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await database.stop();
}
process.exit(exitCode);
