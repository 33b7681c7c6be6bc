// `npm run bench:webhooks`: POST /api/stripe/webhook on production builds
// (`next start`), each with its in-process job-queue worker, on one database.
// For one instance and for two: a burst at concurrency 16 and a sustained
// stream (200 events/s for 60 s). Reports acknowledged and applied rates,
// ack latency, ack→applied lag percentiles, the backlog when sending stops,
// Node and PostgreSQL CPU, statements and round trips per event. Prints
// figures; it is not a test. BENCH_MODE=burst|sustained, BENCH_INSTANCES=1,2,
// BENCH_EVENTS, BENCH_RATE, BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_WARMUP tune it;
// BENCH_PROFILE=1 lists the statements that took the most time; BENCH_WEB_LOG=<file> keeps the
// servers' warnings and errors (each phase counts them); BENCH_WEB_PROFILE / BENCH_WORKER_PROFILE=<dir>
// write V8 CPU profiles of the web and worker processes. `-- --peer` first runs
// nextjs/saas-starter's route (BENCH_PEER_DIR, see scripts/bench/peer.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { burst, CONCURRENCY, RATE, SECONDS, SECRET, sustained } from './bench/load';
import {
  counts,
  lagPercentiles,
  MARK,
  percentile,
  resetStatements,
  serverLogSummary,
  statements,
  topStatements,
  treeCpu,
} from './bench/measure';
import { runPeer, type PeerResult } from './bench/peer';
import { freePort, startLocalPostgres } from './lib/embedded-postgres';
import { scriptPrisma } from './lib/prisma';
import { projectRoot } from './lib/schema-engine';
import { prepareDatabase } from './lib/stack';

const MODE = process.env.BENCH_MODE ?? 'all';
// BENCH_WORKER=process: `next start` with JOBS_IN_PROCESS=off plus `npm run worker` per instance.
const WORKER = process.env.BENCH_WORKER === 'process' ? 'process' : 'in-process';
const INSTANCES = (process.env.BENCH_INSTANCES ?? '1,2').split(',').map(Number);
const BURST = Number(process.env.BENCH_EVENTS ?? 6000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const PEER_DIR = process.argv.includes('--peer')
  ? path.resolve(process.env.BENCH_PEER_DIR ?? path.join(projectRoot, '..', 'saas-starter'))
  : null;
const log = (line: string) => console.log(`[bench] ${line}`);
interface Stack {
  apps: ChildProcess[];
  urls: string[];
}

// The servers' warnings and errors (LOG_LEVEL=warn) go to one file, BENCH_WEB_LOG or a temporary
// one; each phase reports what it logged, so a stall or a fallback shows its cause.
const SERVER_LOG = process.env.BENCH_WEB_LOG ?? path.join(os.tmpdir(), `tollgate-bench-${process.pid}.log`);
const webLog = () => openSync(SERVER_LOG, 'a');

async function startApps(n: number, databaseUrl: string): Promise<Stack> {
  const apps: ChildProcess[] = [];
  const urls: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const port = await freePort();
    apps.push(
      spawn(
        process.execPath,
        [
          // BENCH_WEB_PROFILE=<dir>: a V8 CPU profile of each `next start`, written when it stops.
          ...(process.env.BENCH_WEB_PROFILE
            ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WEB_PROFILE}`]
            : []),
          path.join(projectRoot, 'node_modules', 'next', 'dist', 'bin', 'next'),
          'start',
          '-p',
          String(port),
          '-H',
          '127.0.0.1',
        ],
        {
          cwd: projectRoot,
          stdio: ['ignore', webLog(), webLog()],
          env: {
            ...process.env,
            NODE_ENV: 'production',
            DATABASE_URL: databaseUrl,
            AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-00',
            STRIPE_SECRET_KEY: 'sk_test_benchmarkKey',
            STRIPE_WEBHOOK_SECRET: SECRET,
            STRIPE_API_URL: 'http://127.0.0.1:9',
            JOBS_IN_PROCESS: WORKER === 'process' ? 'off' : 'on',
            LOG_LEVEL: 'warn',
          },
        },
      ),
    );
    // The deployment that keeps acknowledging from starving applying: a worker process per instance.
    if (WORKER === 'process')
      apps.push(
        spawn(
          process.execPath,
          [
            // BENCH_WORKER_PROFILE=<dir>: a V8 CPU profile of the worker, written when it stops.
            ...(process.env.BENCH_WORKER_PROFILE
              ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_PROFILE}`]
              : []),
            '--import',
            'tsx',
            '--conditions=react-server',
            path.join(projectRoot, 'scripts', 'worker.ts'),
          ],
          {
            cwd: projectRoot,
            stdio: ['ignore', webLog(), webLog()],
            env: {
              ...process.env,
              NODE_ENV: 'production',
              DATABASE_URL: databaseUrl,
              AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-00',
              STRIPE_SECRET_KEY: 'sk_test_benchmarkKey',
              STRIPE_WEBHOOK_SECRET: SECRET,
              STRIPE_API_URL: 'http://127.0.0.1:9',
              LOG_LEVEL: 'warn',
            },
          },
        ),
      );
    const base = `http://127.0.0.1:${port}`;
    for (let t = 0; t < 240; t += 1) {
      if ((await fetch(`${base}/api/health`).catch(() => null))?.ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    urls.push(`${base}/api/stripe/webhook`);
  }
  return { apps, urls };
}

const ms = (v: number) => `${v.toFixed(0)} ms`;

/** The stack's processes: with BENCH_WORKER=process the apps alternate, next start then its worker. */
function pidsOf(stack: Stack) {
  const all = stack.apps.map((a) => a.pid!);
  if (WORKER !== 'process') return { all, web: all, workers: [] as number[] };
  return { all, web: all.filter((_, i) => i % 2 === 0), workers: all.filter((_, i) => i % 2 === 1) };
}

/**
 * The framework's floor on this machine: the burst's events with a wrong signature, so the route
 * reads and verifies each and answers 400 without touching the database. Acknowledging cannot run
 * faster than this on one instance, whatever it writes.
 */
async function frameworkFloor(stack: Stack, customerId: string): Promise<number> {
  const webPids = pidsOf(stack).web;
  const cpu0 = treeCpu(webPids);
  const sent = await burst(stack.urls.slice(0, 1), BURST, customerId, true);
  const rate = sent.latencies.length / sent.seconds;
  console.log(
    `\nFloor: ${BURST} forged events at concurrency ${CONCURRENCY} (1 instance: verified, answered 400, nothing written)`,
  );
  console.log(
    `  answered           ${rate.toFixed(0)} requests/s, ${sent.errors} not 400; Node ${(((treeCpu(webPids) - cpu0) / sent.latencies.length) * 1000).toFixed(2)} ms per request`,
  );
  return rate;
}

async function phase(
  name: string,
  stack: Stack,
  client: pg.Client,
  postmaster: number,
  send: () => Promise<{ seconds: number; latencies: number[]; errors: number }>,
) {
  const before = await counts(client);
  const since = new Date(Date.now() - 1000);
  const logFrom = existsSync(SERVER_LOG) ? statSync(SERVER_LOG).size : 0;
  await resetStatements(client);
  const { all: appPids, workers: workerPids } = pidsOf(stack);
  const cpu0 = { node: treeCpu(appPids), worker: treeCpu(workerPids), pg: treeCpu([postmaster]) };
  const t0 = performance.now();
  const sentResult = await send();
  const atStop = await counts(client);
  const backlog = atStop.recorded - atStop.applied;
  let now = atStop;
  while (now.applied < now.recorded && performance.now() - t0 < 600_000) {
    await new Promise((r) => setTimeout(r, 100));
    now = await counts(client);
  }
  const total = (performance.now() - t0) / 1000;
  const cpu1 = { node: treeCpu(appPids), worker: treeCpu(workerPids), pg: treeCpu([postmaster]) };
  const events = now.recorded - before.recorded;
  const stmts = await statements(client);
  const lag = await lagPercentiles(client, since);
  const lat = sentResult.latencies.sort((a, b) => a - b);
  const ackRate = lat.length / sentResult.seconds;
  const perEvent = (seconds: number) => `${((seconds / events) * 1000).toFixed(2)} ms`;
  console.log(
    `\n${name} (${stack.urls.length} instance${stack.urls.length > 1 ? 's' : ''}, worker ${WORKER})`,
  );
  console.log(`  events             ${events} recorded, ${sentResult.errors} non-2xx`);
  console.log(
    `  acknowledged       ${ackRate.toFixed(0)} events/s; latency p50 ${ms(percentile(lat, 50))}, p99 ${ms(percentile(lat, 99))}`,
  );
  console.log(
    `  applied            ${(events / total).toFixed(0)} events/s (first send → last applied: ${total.toFixed(1)} s)`,
  );
  console.log(
    `  applied while sending ${((atStop.applied - before.applied) / sentResult.seconds).toFixed(0)} events/s`,
  );
  console.log(
    `  backlog at stop    ${backlog} events (${(backlog / Math.max(1, ackRate)).toFixed(2)} s of events)`,
  );
  console.log(
    `  ack→applied lag    p50 ${ms(lag.p50)}, p95 ${ms(lag.p95)}, p99 ${ms(lag.p99)}, max ${ms(lag.max)}`,
  );
  console.log(
    `  CPU per event      Node ${perEvent(cpu1.node - cpu0.node)}${workerPids.length ? ` (web ${perEvent(cpu1.node - cpu0.node - (cpu1.worker - cpu0.worker))}, worker ${perEvent(cpu1.worker - cpu0.worker)})` : ''}, PostgreSQL ${perEvent(cpu1.pg - cpu0.pg)}`,
  );
  console.log(
    `  statements/event   ${(stmts.all / events).toFixed(1)} (all SQL the server ran, worker polling and statements nested in functions and triggers included)`,
  );
  console.log(
    `  round trips/event  ${(stmts.topLevel / events).toFixed(1)} (top-level statements: each one a round trip from Node)`,
  );
  console.log(`  server log         ${serverLogSummary(SERVER_LOG, logFrom)}`);
  if (process.env.BENCH_PROFILE === '1')
    for (const line of await topStatements(client, events)) console.log(`    ${line}`);
  return {
    ackRate,
    applied: events / total,
    backlogSeconds: backlog / Math.max(1, ackRate),
    p99lag: lag.p99,
  };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tollgate-bench-'));
const server = await startLocalPostgres({
  dataDir,
  port: await freePort(),
  persistent: false,
  flags: ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all'],
});
await server.createDatabase('tollgate');
const databaseUrl = server.url('tollgate');
const client = new pg.Client({ connectionString: databaseUrl });
let stack: Stack | undefined;
try {
  await prepareDatabase(databaseUrl, log, { seed: false });
  if (!existsSync(path.join(projectRoot, '.next', 'BUILD_ID')) || process.env.BENCH_BUILD === '1') {
    log('Building (next build)…');
    if (spawnSync('npx', ['next', 'build'], { cwd: projectRoot, stdio: 'inherit' }).status !== 0)
      throw new Error('build failed');
  }
  await client.connect();
  await client.query(`${MARK} CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
  const postmaster = Number(
    (await client.query<{ pid: number }>(`${MARK} SELECT pg_backend_pid() AS pid`)).rows[0]!.pid,
  );
  const ppid = Number(readFileSync(`/proc/${postmaster}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  const prisma = scriptPrisma(databaseUrl);
  const user = await prisma.user.create({ data: { email: 'bench@example.com', referralCode: 'BENCH001' } });
  const customerId = 'cus_bench';
  // The user's personal workspace (made by a trigger) is the billing owner.
  const workspace = await prisma.workspace.findUniqueOrThrow({ where: { personalOfId: user.id } });
  await prisma.customer.create({
    data: { id: customerId, workspaceId: workspace.id, lastEventAt: new Date(0) },
  });
  await prisma.$disconnect();
  log('Events go to one customer, each for its own subscription (the worst case for row locks).');
  log(
    `Node ${process.version}, ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}.`,
  );

  const loadNow = () => `load average ${os.loadavg()[0]!.toFixed(1)}`;
  let peer: PeerResult | null = null;
  if (PEER_DIR) {
    log(`Peer first (${loadNow()}), from ${PEER_DIR}.`);
    peer = await runPeer({
      dir: PEER_DIR,
      server,
      client,
      postmaster: ppid,
      events: BURST,
      warmup: WARMUP,
      mode: MODE,
      log,
    });
  }
  const ours: Array<{ instances: number; applied: number; ackRate: number }> = [];
  let floor = 0;

  for (const n of INSTANCES) {
    log(`Starting ${n} instance(s) (${loadNow()}).`);
    stack = await startApps(n, databaseUrl);
    log(`${n} instance(s) up; warming up with ${WARMUP} events…`);
    await burst(stack.urls, WARMUP, customerId);
    while ((await counts(client)).applied < (await counts(client)).recorded)
      await new Promise((r) => setTimeout(r, 200));
    if (MODE !== 'sustained') {
      const result = await phase(
        `Burst: ${BURST} events at concurrency ${CONCURRENCY}`,
        stack,
        client,
        ppid,
        () => burst(stack!.urls, BURST, customerId),
      );
      ours.push({ instances: n, applied: result.applied, ackRate: result.ackRate });
      if (n === 1) floor = await frameworkFloor(stack, customerId);
    }
    if (MODE !== 'burst') {
      const result = await phase(`Sustained: ${RATE} events/s for ${SECONDS} s`, stack, client, ppid, () =>
        sustained(stack!.urls, customerId),
      );
      console.log(
        `  target             backlog ≤ 1 s of events and p99 lag ≤ 2 s: ${result.backlogSeconds <= 1 && result.p99lag <= 2000 ? 'met' : 'NOT met'}`,
      );
    }
    for (const app of stack.apps) app.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    stack = undefined;
  }
  if (peer && peer.burstRate > 0) {
    for (const o of ours)
      console.log(
        `\nBurst, ${o.instances} instance(s) vs nextjs/saas-starter: applied ${(o.applied / peer.burstRate).toFixed(2)}× its ${peer.burstRate.toFixed(0)}/s (target ≥ 1×, goal 2×); acknowledged ${(o.ackRate / peer.burstRate).toFixed(2)}× (target ≥ 2×).`,
      );
    if (floor > 0)
      console.log(
        `\nFloor: one \`next start\` answering the forged events with 400 (no database) runs at ${(floor / peer.burstRate).toFixed(2)}× the peer's rate.`,
      );
  } else
    console.log(
      '\nPeer figure (the issue, same machine, idle): nextjs/saas-starter applies synchronously at 474 events/s, p99 69 ms. `-- --peer` measures it in this run.',
    );
  log(`Done (${loadNow()}).`);
} finally {
  for (const app of stack?.apps ?? []) app.kill('SIGTERM');
  await client.end().catch(() => {});
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.BENCH_WEB_LOG) rmSync(SERVER_LOG, { force: true });
}
