import 'server-only';
import pg from 'pg';
import { env } from '@/lib/env';

// A plain pg pool for the one hot path that must stay cheap: recording a
// webhook event before acknowledging it. Everything else goes through Prisma.
const globalForPool = globalThis as unknown as { pgPool?: pg.Pool };

export function pool(): pg.Pool {
  globalForPool.pgPool ??= new pg.Pool({
    connectionString: env().DATABASE_URL,
    max: 10,
    options: '-c TimeZone=UTC',
  });
  return globalForPool.pgPool;
}
