// `npm run db:migrate`: apply every committed migration in prisma/migrations
// to DATABASE_URL (equivalent to `prisma migrate deploy`, but offline), then
// the job queue's schema (graphile-worker's bundled migrations).
import { applyMigrations, migrateJobQueue } from './lib/schema-engine';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is not set. Example: postgresql://user:password@localhost:5432/tollgate');
  process.exit(1);
}
const applied = await applyMigrations(databaseUrl);
console.log(
  applied.length
    ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
    : 'Database is up to date; no migrations to apply.',
);
await migrateJobQueue(databaseUrl);
console.log('Job queue schema (graphile_worker) is up to date.');
