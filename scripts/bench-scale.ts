// `npm run bench:scale`: every page and API at a mature SaaS's size. Starts a
// throwaway PostgreSQL and a production build (`next start`), times each
// request (20 runs, one at a time, after 3 warm-ups) on the seeded demo
// database ("empty"), then generates the full dataset (scripts/lib/scale-data.ts)
// and times them again ("full"). Prints p50/p95 per request, the SQL time per
// request (pg_stat_statements: what the database spent, which a loaded machine
// inflates far less than wall time) and the server's memory, and exits
// non-zero when any p95 exceeds BENCH_LIMIT_MS (50). Not part of `npm test`.
// BENCH_SCALE=0.1 runs a tenth of the dataset. BENCH_DB_URL=<url> reuses a
// database that already holds the dataset (`npm run bench:scale:db` keeps
// one): no generation, and only the "full" columns.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { signIn, time, treeRssMiB, type Timing } from './lib/bench-http';
import { demoAccounts } from './lib/demo-accounts';
import { freePort } from './lib/embedded-postgres';
import { benchIds } from './lib/scale-data';
import { benchPostgresFlags, buildDataset, hasDataset, heavyUserEmail } from './lib/scale-setup';
import { projectRoot } from './lib/schema-engine';
import { prepareDatabase, startDatabase, type Database } from './lib/stack';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const LIMIT_MS = Number(process.env.BENCH_LIMIT_MS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = 3;
const REUSE_URL = process.env.BENCH_DB_URL;
// Investigating: BENCH_ONLY=<text> times only the requests whose name contains it;
// BENCH_SQL_TOP=<n> prints each request's n costliest statements; BENCH_SERVER_PROFILE=<dir>
// writes a V8 CPU profile of next-server there when it stops.
const ONLY = process.env.BENCH_ONLY;
const SQL_TOP = Number(process.env.BENCH_SQL_TOP ?? 0);
const PROFILE_DIR = process.env.BENCH_SERVER_PROFILE;
const log = (line: string) => console.log(`[bench:scale] ${line}`);

interface Context {
  admin: string; // Cookie header
  user: string; // Cookie header of "the user" (the heavy-ledger user when full)
  apiKey: string;
  userId: string;
  paymentId: string;
  eventId: string;
  q: { customer: string; paymentIntent: string; refund: string; email: string };
  deep: { payments: string; ledger: string; webhooks: string; audit: string };
}

/** Every page and API, named as in the table. */
function requests(c: Context): Array<[string, string, Record<string, string>]> {
  const admin = { cookie: c.admin };
  const user = { cookie: c.user };
  const key = { authorization: `Bearer ${c.apiKey}` };
  return [
    ['/admin', '/admin', admin],
    ['/admin/users, first page', '/admin/users', admin],
    ['/admin/users?q=smith', '/admin/users?q=smith', admin],
    ['/admin/users?q=<email>', `/admin/users?q=${encodeURIComponent(c.q.email)}`, admin],
    ['/admin/users?q=cus_…', `/admin/users?q=${c.q.customer}`, admin],
    ['/admin/users/[id]', `/admin/users/${c.userId}`, admin],
    ['/admin/payments, first page', '/admin/payments', admin],
    ['/admin/payments, deep page', `/admin/payments?cursor=${c.deep.payments}`, admin],
    ['/admin/payments?status=failed', '/admin/payments?status=failed', admin],
    ['/admin/payments?kind=credits', '/admin/payments?kind=credits', admin],
    ['/admin/payments?q=smith', '/admin/payments?q=smith', admin],
    ['/admin/payments?q=pi_…', `/admin/payments?q=${c.q.paymentIntent}`, admin],
    ['/admin/payments?q=re_…', `/admin/payments?q=${c.q.refund}`, admin],
    ['/admin/payments/[id]', `/admin/payments/${c.paymentId}`, admin],
    ['/admin/webhooks, first page', '/admin/webhooks', admin],
    ['/admin/webhooks, deep page', `/admin/webhooks?cursor=${c.deep.webhooks}`, admin],
    ['/admin/webhooks?status=failed', '/admin/webhooks?status=failed', admin],
    ['/admin/webhooks/[id]', `/admin/webhooks/${c.eventId}`, admin],
    ['/admin/audit, first page', '/admin/audit', admin],
    ['/admin/audit, deep page', `/admin/audit?cursor=${c.deep.audit}`, admin],
    ['/admin/coupons', '/admin/coupons', admin],
    ['/dashboard', '/dashboard', user],
    ['/credits', '/credits', user],
    ['/billing', '/billing', user],
    ['/settings/api-keys', '/settings/api-keys', user],
    ['/api/credits/balance', '/api/credits/balance', key],
    ['/api/credits/ledger, first page', '/api/credits/ledger', key],
    ['/api/credits/ledger, deep page', `/api/credits/ledger?cursor=${c.deep.ledger}`, key],
    ['/api/stripe/payments', '/api/stripe/payments', key],
  ];
}

async function one<T extends pg.QueryResultRow>(db: pg.Client, sql: string, params: unknown[] = []) {
  return (await db.query<T>(sql, params)).rows[0];
}

/** A cursor at row `offset` of a list (found with OFFSET here, in the bench, never in the app). */
async function cursorAt(db: pg.Client, table: string, at: string, where: string, offset: number) {
  const row = await one<{ t: Date; id: string }>(
    db,
    `SELECT "${at}" AS t, id FROM "${table}" ${where} ORDER BY "${at}" DESC, id DESC OFFSET $1 LIMIT 1`,
    [offset],
  );
  return row ? `${row.t.getTime()}.${row.id}` : '';
}

async function context(db: pg.Client, base: string, userEmail: string, password: string): Promise<Context> {
  const userId = (await one<{ id: string }>(db, 'SELECT id FROM "User" WHERE email = $1', [userEmail]))!.id;
  const workspaceId = (await one<{ id: string }>(db, 'SELECT id FROM "Workspace" WHERE "personalOfId" = $1', [
    userId,
  ]))!.id;
  const apiKey = `tg_${randomBytes(24).toString('base64url')}`;
  await db.query(
    `INSERT INTO "ApiKey" (id, "workspaceId", "userId", name, prefix, hash) VALUES ($1, $2, $3, 'bench', $4, $5)`,
    [
      `cbkey${randomBytes(8).toString('hex')}`,
      workspaceId,
      userId,
      apiKey.slice(0, 10),
      createHash('sha256').update(apiKey).digest('hex'),
    ],
  );
  const any = async (sql: string) => (await one<{ id: string }>(db, sql))?.id ?? 'none';
  return {
    admin: await signIn(base, demoAccounts.admin.email, demoAccounts.admin.password),
    user: await signIn(base, userEmail, password),
    apiKey,
    userId,
    paymentId: await any('SELECT id FROM "Payment" ORDER BY id LIMIT 1'),
    eventId: await any('SELECT id FROM "WebhookEvent" ORDER BY id LIMIT 1'),
    q: {
      customer: await any(`SELECT id FROM "Customer" ORDER BY id DESC LIMIT 1`).then((id) =>
        id === 'none' ? 'cus_none' : id,
      ),
      paymentIntent: benchIds.paymentIntent(Math.max(1, Math.round(1234 * SCALE))),
      refund: benchIds.refund(Math.max(1, Math.round(777 * SCALE))),
      email:
        (await one<{ email: string }>(db, 'SELECT email FROM "User" ORDER BY "createdAt" LIMIT 1 OFFSET 5'))
          ?.email ?? userEmail,
    },
    deep: {
      payments: await cursorAt(db, 'Payment', 'createdAt', '', Math.round(150_000 * SCALE)),
      ledger: await cursorAt(
        db,
        'CreditLedger',
        'createdAt',
        `WHERE "workspaceId" = '${workspaceId}'`,
        Math.round(160_000 * SCALE),
      ),
      webhooks: await cursorAt(db, 'WebhookEvent', 'receivedAt', '', Math.round(400_000 * SCALE)),
      audit: await cursorAt(db, 'AuditLog', 'createdAt', '', Math.round(90_000 * SCALE)),
    },
  };
}

/** pg_stat_statements, when the server preloads it: statements run and their time since the last reset. */
async function sqlStats(db: pg.Client) {
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await db.query('SELECT pg_stat_statements_reset()');
  } catch {
    return null; // not preloaded (e.g. a BENCH_DB_URL server without it): no SQL column
  }
  return {
    reset: async () => void (await db.query('SELECT pg_stat_statements_reset()')),
    read: async () =>
      Number(
        (
          await one<{ ms: number | null }>(
            db,
            `SELECT sum(total_exec_time) AS ms FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND query NOT ILIKE '%pg_stat_statements%'`,
          )
        )?.ms ?? 0,
      ),
    top: async (n: number) =>
      (
        await db.query<{ calls: string; mean: number; query: string }>(
          `SELECT calls, mean_exec_time AS mean, query FROM pg_stat_statements
           WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND query NOT ILIKE '%pg_stat_statements%'
           ORDER BY total_exec_time DESC LIMIT $1`,
          [n],
        )
      ).rows,
  };
}

type Result = Timing & { sqlMs?: number };

async function measure(db: pg.Client, base: string, c: Context, serverPid: number) {
  const results = new Map<string, Result>();
  const stats = await sqlStats(db);
  let peak = treeRssMiB(serverPid);
  for (const [name, url, headers] of requests(c)) {
    if (ONLY && !name.includes(ONLY)) continue;
    await stats?.reset();
    const t: Result = await time(`${base}${url}`, headers, RUNS, WARMUP);
    // Mean SQL time per request (warm-ups included, as they ran the same statements).
    if (stats) t.sqlMs = (await stats.read()) / (RUNS + WARMUP);
    if (stats && SQL_TOP > 0) {
      log(`${name}: ${t.p50.toFixed(1)} / ${t.p95.toFixed(1)} ms, SQL ${t.sqlMs?.toFixed(2)} ms`);
      for (const s of await stats.top(SQL_TOP))
        log(`  ${s.calls}× ${s.mean.toFixed(2)} ms  ${s.query.replace(/\s+/g, ' ').slice(0, 300)}`);
    }
    peak = Math.max(peak, treeRssMiB(serverPid));
    if (t.status >= 300) log(`  ${name}: status ${t.status}`);
    results.set(name, t);
  }
  return { results, peak };
}

const database: Database = REUSE_URL
  ? { url: REUSE_URL, embedded: false, stop: async () => {} }
  : await startDatabase('test', log, process.env.DATABASE_URL, benchPostgresFlags);
let app: ReturnType<typeof spawn> | undefined;
const db = new pg.Client({ connectionString: database.url, options: '-c TimeZone=UTC' });
let failed = false;
try {
  await prepareDatabase(database.url, log, { seed: true });
  await db.connect();
  const reused = REUSE_URL !== undefined && (await hasDataset(db));
  if (!existsSync(path.join(projectRoot, '.next', 'BUILD_ID')) || process.env.BENCH_BUILD === '1') {
    log('Building (next build)…');
    if (spawnSync('npx', ['next', 'build'], { cwd: projectRoot, stdio: 'inherit' }).status !== 0)
      throw new Error('build failed');
  }
  const port = await freePort();
  app = spawn(
    process.execPath,
    [
      ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE_DIR)}`] : []),
      path.join(projectRoot, 'node_modules/next/dist/bin/next'),
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
        STRIPE_WEBHOOK_SECRET: 'whsec_benchmarkSecretForTollgate0000',
        STRIPE_API_URL: 'http://127.0.0.1:9',
        SWEEP_INTERVAL_MS: '0',
        // No job worker polling the database while requests are timed.
        JOBS_IN_PROCESS: 'off',
        LOG_LEVEL: 'silent',
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240 && !(await fetch(`${base}/api/health`).catch(() => null))?.ok; i += 1)
    await new Promise((r) => setTimeout(r, 250));

  let empty: Awaited<ReturnType<typeof measure>> | undefined;
  let generated: number | undefined;
  if (reused) log('BENCH_DB_URL already holds the dataset: timing it as is.');
  else {
    log('Timing the empty database (demo accounts only)…');
    empty = await measure(
      db,
      base,
      await context(db, base, demoAccounts.user.email, demoAccounts.user.password),
      app.pid!,
    );
    generated = await buildDataset(db, SCALE, log);
  }
  log('Timing the full database…');
  const full = await measure(
    db,
    base,
    await context(db, base, await heavyUserEmail(db), demoAccounts.user.password),
    app.pid!,
  );

  const pad = (s: string, n: number) => s.padEnd(n);
  const ms = (n: number | undefined) => (n === undefined ? '—' : `${n.toFixed(1)} ms`).padStart(10);
  console.log('');
  console.log(
    `${pad('Request', 36)} ${['Empty p50', 'Empty p95', 'Full p50', 'Full p95', 'Full SQL'].map((h) => h.padStart(10)).join(' ')}`,
  );
  for (const name of full.results.keys()) {
    const e = empty?.results.get(name);
    const f = full.results.get(name);
    const over = [e, f].some((t) => t && t.p95 > LIMIT_MS);
    if (over) failed = true;
    console.log(
      `${pad(name, 36)} ${ms(e?.p50)} ${ms(e?.p95)} ${ms(f?.p50)} ${ms(f?.p95)} ${ms(f?.sqlMs)}${over ? `  > ${LIMIT_MS} ms` : ''}`,
    );
  }
  console.log('');
  console.log('Full SQL: mean time PostgreSQL spent executing statements per request (pg_stat_statements).');
  if (generated !== undefined) console.log(`dataset generated in ${generated.toFixed(1)} s (scale ${SCALE})`);
  console.log(
    `next-server RSS peak: empty ${empty ? `${empty.peak.toFixed(0)} MiB` : '—'}, full ${full.peak.toFixed(0)} MiB`,
  );
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  if (failed) console.log(`FAIL: a p95 exceeds ${LIMIT_MS} ms`);
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  app?.kill('SIGTERM');
  await db.end().catch(() => {});
  await database.stop();
}
process.exit(failed ? 1 : 0);
