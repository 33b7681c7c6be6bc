import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from '@/lib/generated/prisma/client';
import { env } from '@/lib/env';
import { log } from '@/lib/log';

/** An open interactive transaction (what `db.$transaction(async (tx) => …)` hands over). */
export type Tx = Prisma.TransactionClient;

// One client per process, created on first use (so `next build` needs no
// database) and reused across hot reloads in development.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export function createPrismaClient(databaseUrl: string): PrismaClient {
  // Connection errors (a PostgreSQL restart) are logged; the pool reconnects.
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: 10 },
    {
      onPoolError: (error) => log.warn('db.pool_error', { error: error.message }),
      onConnectionError: (error) => log.warn('db.connection_error', { error: error.message }),
    },
  );
  return new PrismaClient({ adapter });
}

function client(): PrismaClient {
  globalForPrisma.prisma ??= createPrismaClient(env().DATABASE_URL);
  return globalForPrisma.prisma;
}

export const db = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const instance = client();
    const value: unknown = Reflect.get(instance, property);
    return typeof value === 'function' ? value.bind(instance) : value;
  },
});

/** One round trip, for the health check. */
export async function databaseReachable(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
