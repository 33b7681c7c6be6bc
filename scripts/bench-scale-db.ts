// `npm run bench:scale:db`: the full-size benchmark database, kept. Starts a
// PostgreSQL whose data lives in .data/bench-postgres (port BENCH_DB_PORT,
// 54339), generates the dataset once (later starts reuse it), prints its URL
// and keeps running until Ctrl-C. Then `BENCH_DB_URL=<url> npm run bench:scale`
// times the pages against it without regenerating, and `psql <url>` can
// EXPLAIN what the pages send.
import path from 'node:path';
import pg from 'pg';
import { startLocalPostgres } from './lib/embedded-postgres';
import { benchPostgresFlags, buildDataset, hasDataset } from './lib/scale-setup';
import { projectRoot } from './lib/schema-engine';
import { prepareDatabase } from './lib/stack';

const log = (line: string) => console.log(`[bench:scale:db] ${line}`);
const port = Number(process.env.BENCH_DB_PORT ?? 54339);
const scale = Number(process.env.BENCH_SCALE ?? 1);

const server = await startLocalPostgres({
  dataDir: path.join(projectRoot, '.data', 'bench-postgres'),
  port,
  persistent: true,
  flags: benchPostgresFlags,
});
await server.createDatabase('tollgate');
const url = server.url('tollgate');
await prepareDatabase(url, log, { seed: true });
const db = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
await db.connect();
await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
if (await hasDataset(db)) log('The dataset is already there.');
else await buildDataset(db, scale, log);
await db.end();
log(`Ready. BENCH_DB_URL=${url} npm run bench:scale   (Ctrl-C stops the server)`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
await new Promise(() => {});
