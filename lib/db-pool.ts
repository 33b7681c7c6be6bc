import 'server-only';
import pg from 'pg';
import { env } from '@/lib/env';
import { log } from '@/lib/log';

// A plain pg pool for the hot paths that must stay cheap: recording a webhook
// event before acknowledging it, and applying the commonest events
// (lib/billing/webhooks/hot-path.ts). Everything else goes through Prisma.
const globalForPool = globalThis as unknown as { pgPool?: pg.Pool };

export function pool(): pg.Pool {
  if (!globalForPool.pgPool) {
    const created = new pg.Pool({
      connectionString: env().DATABASE_URL,
      // Acknowledgements and up to JOBS_CONCURRENCY applying jobs share it.
      max: 10 + env().JOBS_CONCURRENCY,
      // Every statement on it is short; a stuck one (a lock wait) ends, as Prisma's transaction timeout does.
      options: '-c TimeZone=UTC -c statement_timeout=30000',
    });
    // An idle client loses its connection when PostgreSQL restarts: without a
    // listener that is an uncaughtException. The pool replaces the client.
    created.on('error', (error) => log.warn('db.pool_error', { error: error.message }));
    globalForPool.pgPool = created;
  }
  return globalForPool.pgPool;
}
