// `npm run bench:scale`: every page and API at a mature SaaS's size. Starts a
// throwaway PostgreSQL and a production build (`next start`), times each
// request (20 runs, one at a time, after 3 warm-ups) on the seeded demo
// database ("empty"), then generates the full dataset (scripts/lib/scale-data.ts)
// and times them again ("full"). Prints p50/p95 per request and the server's
// memory, and exits non-zero when any p95 exceeds BENCH_LIMIT_MS (50). Not part
// of `npm test`. BENCH_SCALE=0.1 runs a tenth of the dataset.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { plans } from '../lib/billing/catalog';
import { signIn, time, treeRssMiB, type Timing } from './lib/bench-http';
import { demoAccounts } from './lib/demo-accounts';
import { freePort } from './lib/embedded-postgres';
import { benchIds, generateDataset, HEAVY_USER, invariantChecks } from './lib/scale-data';
import { projectRoot } from './lib/schema-engine';
import { prepareDatabase, startDatabase } from './lib/stack';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const LIMIT_MS = Number(process.env.BENCH_LIMIT_MS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
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
  const apiKey = `tg_${randomBytes(24).toString('base64url')}`;
  await db.query(`INSERT INTO "ApiKey" (id, "userId", name, prefix, hash) VALUES ($1, $2, 'bench', $3, $4)`, [
    `cbkey${randomBytes(8).toString('hex')}`,
    userId,
    apiKey.slice(0, 10),
    createHash('sha256').update(apiKey).digest('hex'),
  ]);
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
        `WHERE "userId" = '${userId}'`,
        Math.round(160_000 * SCALE),
      ),
      webhooks: await cursorAt(db, 'WebhookEvent', 'receivedAt', '', Math.round(400_000 * SCALE)),
      audit: await cursorAt(db, 'AuditLog', 'createdAt', '', Math.round(90_000 * SCALE)),
    },
  };
}

async function measure(base: string, c: Context, serverPid: number) {
  const results = new Map<string, Timing>();
  let peak = treeRssMiB(serverPid);
  for (const [name, url, headers] of requests(c)) {
    const t = await time(`${base}${url}`, headers, RUNS);
    peak = Math.max(peak, treeRssMiB(serverPid));
    if (t.status >= 300) log(`  ${name}: status ${t.status}`);
    results.set(name, t);
  }
  return { results, peak };
}

const database = await startDatabase('test', log);
let app: ReturnType<typeof spawn> | undefined;
const db = new pg.Client({ connectionString: database.url, options: '-c TimeZone=UTC' });
let failed = false;
try {
  await prepareDatabase(database.url, log, { seed: true });
  await db.connect();
  if (!existsSync(path.join(projectRoot, '.next', 'BUILD_ID')) || process.env.BENCH_BUILD === '1') {
    log('Building (next build)…');
    if (spawnSync('npx', ['next', 'build'], { cwd: projectRoot, stdio: 'inherit' }).status !== 0)
      throw new Error('build failed');
  }
  const port = await freePort();
  app = spawn(
    process.execPath,
    [
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
        LOG_LEVEL: 'silent',
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240 && !(await fetch(`${base}/api/health`).catch(() => null))?.ok; i += 1)
    await new Promise((r) => setTimeout(r, 250));

  log('Timing the empty database (demo accounts only)…');
  const empty = await measure(
    base,
    await context(db, base, demoAccounts.user.email, demoAccounts.user.password),
    app.pid!,
  );

  log(`Generating the dataset at scale ${SCALE}…`);
  const started = Date.now();
  const counts = await generateDataset(
    db,
    {
      scale: SCALE,
      seed: 15,
      now: new Date(),
      priceLookupKeys: plans.flatMap((p) => [p.prices.month.lookupKey, p.prices.year.lookupKey]),
    },
    (line) => log(`  ${line}`),
  );
  await db.query('VACUUM ANALYZE');
  const generated = (Date.now() - started) / 1000;
  log(`Generated and analysed in ${generated.toFixed(1)} s: ${JSON.stringify(counts)}`);
  await db.query(`SET work_mem = '256MB'`);
  for (const [name, sql] of Object.entries(invariantChecks)) {
    const broken = await one<{ id: string }>(db, sql);
    if (broken) throw new Error(`invariant "${name}" broken at ${broken.id}`);
  }
  log('Invariants hold: ' + Object.keys(invariantChecks).join('; ') + '.');
  // The heavy-ledger user signs in with the demo user's password.
  const heavy = benchIds.user(HEAVY_USER);
  await db.query(
    `UPDATE "User" SET "passwordHash" = (SELECT "passwordHash" FROM "User" WHERE email = $1) WHERE id = $2`,
    [demoAccounts.user.email, heavy],
  );
  const heavyEmail = (await one<{ email: string }>(db, 'SELECT email FROM "User" WHERE id = $1', [heavy]))!
    .email;
  log('Timing the full database…');
  const full = await measure(base, await context(db, base, heavyEmail, demoAccounts.user.password), app.pid!);

  const pad = (s: string, n: number) => s.padEnd(n);
  const ms = (n: number | undefined) => (n === undefined ? '—' : `${n.toFixed(1)} ms`).padStart(10);
  console.log('');
  console.log(
    `${pad('Request', 36)} ${'Empty p50'.padStart(10)} ${'Empty p95'.padStart(10)} ${'Full p50'.padStart(10)} ${'Full p95'.padStart(10)}`,
  );
  for (const name of full.results.keys()) {
    const e = empty.results.get(name);
    const f = full.results.get(name);
    const over = [e, f].some((t) => t && t.p95 > LIMIT_MS);
    if (over) failed = true;
    console.log(
      `${pad(name, 36)} ${ms(e?.p50)} ${ms(e?.p95)} ${ms(f?.p50)} ${ms(f?.p95)}${over ? `  > ${LIMIT_MS} ms` : ''}`,
    );
  }
  console.log('');
  console.log(`dataset generated in ${generated.toFixed(1)} s (scale ${SCALE})`);
  console.log(`next-server RSS peak: empty ${empty.peak.toFixed(0)} MiB, full ${full.peak.toFixed(0)} MiB`);
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
