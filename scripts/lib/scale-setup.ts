// The full-size database for `npm run bench:scale`, built once and reusable:
// generated from the seed (scripts/lib/scale-data.ts), analysed, its
// invariants checked, and the heavy-ledger user given the demo password so the
// benchmark can sign in as them. A database that already holds it is reused.
import type pg from 'pg';
import { plans } from '../../lib/billing/catalog';
import { demoAccounts } from './demo-accounts';
import { benchIds, countsFor, generateDataset, HEAVY_USER, invariantChecks } from './scale-data';

type Log = (line: string) => void;

/** Whether `db` already holds the generated dataset (its heavy user exists). */
export async function hasDataset(db: pg.Client): Promise<boolean> {
  const found = await db.query('SELECT 1 FROM "User" WHERE id = $1', [benchIds.user(HEAVY_USER)]);
  return (found.rowCount ?? 0) > 0;
}

/** Generate, analyse and check the dataset; returns the seconds it took. */
export async function buildDataset(db: pg.Client, scale: number, log: Log): Promise<number> {
  log(`Generating the dataset at scale ${scale}: ${JSON.stringify(countsFor(scale))}…`);
  const started = Date.now();
  const counts = await generateDataset(
    db,
    {
      scale,
      seed: 15,
      now: new Date(),
      priceLookupKeys: plans.flatMap((p) => [p.prices.month.lookupKey, p.prices.year.lookupKey]),
    },
    (line) => log(`  ${line}`),
  );
  await db.query('VACUUM ANALYZE');
  const seconds = (Date.now() - started) / 1000;
  log(`Generated and analysed in ${seconds.toFixed(1)} s: ${JSON.stringify(counts)}`);
  await db.query(`SET work_mem = '256MB'`);
  for (const [name, sql] of Object.entries(invariantChecks)) {
    const broken = (await db.query<{ id: string }>(sql)).rows[0];
    if (broken) throw new Error(`invariant "${name}" broken at ${broken.id}`);
  }
  await db.query('RESET work_mem');
  log('Invariants hold: ' + Object.keys(invariantChecks).join('; ') + '.');
  // The heavy-ledger user signs in with the demo user's password.
  await db.query(
    `UPDATE "User" SET "passwordHash" = (SELECT "passwordHash" FROM "User" WHERE email = $1) WHERE id = $2`,
    [demoAccounts.user.email, benchIds.user(HEAVY_USER)],
  );
  return seconds;
}

/** The email of the heavy-ledger user (signs in with the demo user's password). */
export async function heavyUserEmail(db: pg.Client): Promise<string> {
  const row = (
    await db.query<{ email: string }>('SELECT email FROM "User" WHERE id = $1', [benchIds.user(HEAVY_USER)])
  ).rows[0];
  if (!row) throw new Error('the dataset has no heavy-ledger user');
  return row.email;
}

/**
 * Server settings for a benchmark database: pg_stat_statements, so the
 * benchmark can report the SQL time per request next to the wall time.
 */
export const benchPostgresFlags = [
  '-c',
  'shared_preload_libraries=pg_stat_statements',
  '-c',
  'pg_stat_statements.track=top',
];
