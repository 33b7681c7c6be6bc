// `npm run bench:webhooks -- --peer`: nextjs/saas-starter's webhook route
// (github.com/nextjs/saas-starter, which applies each event before answering)
// under the same signed events, on its own database of the same PostgreSQL
// server, in the same run. BENCH_PEER_DIR names a checkout with its
// dependencies installed and `next build` done (see README, "Benchmarks").
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { burst, CONCURRENCY, RATE, SECONDS, SECRET, sustained } from './load';
import { percentile, resetStatements, statements, treeCpu } from './measure';
import { freePort, type LocalPostgres } from '../lib/embedded-postgres';

const ms = (v: number) => `${v.toFixed(0)} ms`;

/** The peer's drizzle migrations, statement by statement. */
async function migrate(url: string, dir: string): Promise<void> {
  const folder = path.join(dir, 'lib', 'db', 'migrations');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const file of readdirSync(folder)
      .filter((f) => f.endsWith('.sql'))
      .sort())
      for (const statement of readFileSync(path.join(folder, file), 'utf8').split('--> statement-breakpoint'))
        if (statement.trim()) await client.query(statement);
    // The team whose Stripe customer every benchmark event names.
    await client.query(`INSERT INTO teams (name, stripe_customer_id) VALUES ('Bench', 'cus_bench')`);
  } finally {
    await client.end();
  }
}

export interface PeerResult {
  burstRate: number;
  sustainedP99: number;
}

/** Run the peer's burst and sustained phases; its acknowledged rate is its applied rate. */
export async function runPeer(options: {
  dir: string;
  server: LocalPostgres;
  client: pg.Client;
  postmaster: number;
  events: number;
  warmup: number;
  mode: string;
  log: (line: string) => void;
}): Promise<PeerResult> {
  const { dir, server, client, postmaster, log } = options;
  if (!existsSync(path.join(dir, '.next', 'BUILD_ID')))
    throw new Error(
      `BENCH_PEER_DIR=${dir} has no production build: run its install and \`next build\` first`,
    );
  await server.createDatabase('peer');
  const url = server.url('peer');
  await migrate(url, dir);
  const port = await freePort();
  const app = spawn(
    process.execPath,
    [
      path.join(dir, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    {
      cwd: dir,
      stdio: 'ignore',
      env: {
        ...process.env,
        NODE_ENV: 'production',
        POSTGRES_URL: url,
        STRIPE_SECRET_KEY: 'sk_test_benchmarkKey',
        STRIPE_WEBHOOK_SECRET: SECRET,
        BASE_URL: `http://127.0.0.1:${port}`,
        AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-00',
      },
    },
  );
  const webhook = `http://127.0.0.1:${port}/api/stripe/webhook`;
  try {
    // Ready when the route answers (400: no signature).
    for (let t = 0; t < 240; t += 1) {
      const answer = await fetch(webhook, { method: 'POST', body: '{}' }).catch(() => null);
      if (answer) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    log(`peer (nextjs/saas-starter) up; warming up with ${options.warmup} events…`);
    await burst([webhook], options.warmup, 'cus_bench');
    const result: PeerResult = { burstRate: 0, sustainedP99: 0 };
    const phases: Array<[string, () => Promise<{ seconds: number; latencies: number[]; errors: number }>]> =
      [];
    if (options.mode !== 'sustained')
      phases.push([
        `Peer burst: ${options.events} events at concurrency ${CONCURRENCY}`,
        () => burst([webhook], options.events, 'cus_bench'),
      ]);
    if (options.mode !== 'burst')
      phases.push([
        `Peer sustained: ${RATE} events/s for ${SECONDS} s`,
        () => sustained([webhook], 'cus_bench'),
      ]);
    for (const [name, send] of phases) {
      await resetStatements(client);
      const cpu0 = { node: treeCpu([app.pid!]), pg: treeCpu([postmaster]) };
      const sent = await send();
      const cpu1 = { node: treeCpu([app.pid!]), pg: treeCpu([postmaster]) };
      const lat = sent.latencies.sort((a, b) => a - b);
      const n = lat.length;
      const stmts = await statements(client);
      const rate = n / sent.seconds;
      if (name.startsWith('Peer burst')) result.burstRate = rate;
      else result.sustainedP99 = percentile(lat, 99);
      console.log(`\n${name} (1 instance; applied before answering)`);
      console.log(`  events             ${n} answered, ${sent.errors} non-2xx`);
      console.log(
        `  acknowledged = applied ${rate.toFixed(0)} events/s; latency p50 ${ms(percentile(lat, 50))}, p99 ${ms(percentile(lat, 99))}`,
      );
      console.log(
        `  CPU per event      Node ${(((cpu1.node - cpu0.node) / n) * 1000).toFixed(2)} ms, PostgreSQL ${(((cpu1.pg - cpu0.pg) / n) * 1000).toFixed(2)} ms`,
      );
      console.log(
        `  statements/event   ${(stmts.all / n).toFixed(1)}; round trips/event ${(stmts.topLevel / n).toFixed(1)}`,
      );
    }
    return result;
  } finally {
    app.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
  }
}
