// Starts what the app needs around it: PostgreSQL (embedded unless
// DATABASE_URL is set), migrations and seed data, and the Stripe emulator
// (unless a real STRIPE_SECRET_KEY is set). Shared by `npm run dev`, the
// integration tests and the E2E tests.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { freePort, startLocalPostgres } from './embedded-postgres';
import { projectRoot, applyMigrations, migrateJobQueue } from './schema-engine';
import { seed } from '../seed';

export type Log = (line: string) => void;

export interface Database {
  url: string;
  embedded: boolean;
  stop: () => Promise<void>;
}

/** Development: a persistent server under .data/postgres. Tests: a throwaway server, or a fresh database on DATABASE_URL's server. */
export async function startDatabase(
  mode: 'dev' | 'test',
  log: Log,
  configuredUrl = process.env.DATABASE_URL,
  flags: string[] = [],
): Promise<Database> {
  if (configuredUrl) {
    if (mode === 'dev') {
      log(`Using the database at DATABASE_URL (${redact(configuredUrl)}).`);
      return { url: configuredUrl, embedded: false, stop: async () => {} };
    }
    return freshDatabaseOn(configuredUrl, log);
  }
  const persistent = mode === 'dev';
  const dataDir = persistent
    ? path.join(projectRoot, '.data', 'postgres')
    : mkdtempSync(path.join(os.tmpdir(), 'tollgate-pg-'));
  const port = persistent ? Number(process.env.LOCAL_POSTGRES_PORT ?? 54329) : await freePort();
  log(
    persistent
      ? `Starting embedded PostgreSQL (data in .data/postgres, port ${port})…`
      : `Starting a throwaway PostgreSQL on port ${port}…`,
  );
  const server = await startLocalPostgres({ dataDir, port, persistent, flags });
  await server.createDatabase('tollgate');
  return {
    url: server.url('tollgate'),
    embedded: true,
    async stop() {
      await server.stop();
      if (!persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function freshDatabaseOn(serverUrl: string, log: Log): Promise<Database> {
  const { default: pg } = await import('pg');
  const name = `tollgate_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  log(`Created test database ${name} on DATABASE_URL's server.`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: false,
    stop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export async function prepareDatabase(url: string, log: Log, options: { seed: boolean }): Promise<void> {
  const applied = await applyMigrations(url);
  log(applied.length ? `Applied ${applied.length} migration(s).` : 'Database schema is up to date.');
  await migrateJobQueue(url);
  if (options.seed) {
    const created = await seed(url);
    log(created.length ? `Seeded demo accounts: ${created.join(', ')}.` : 'Demo accounts already present.');
  }
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** An SDK client pointed at STRIPE_API_URL when set (the emulator), else at Stripe. */
export function stripeFor(secretKey: string, apiUrl?: string): Stripe {
  if (!apiUrl) return new Stripe(secretKey);
  const u = new URL(apiUrl);
  const protocol = u.protocol === 'https:' ? 'https' : 'http';
  return new Stripe(secretKey, {
    host: u.hostname,
    port: Number(u.port || (protocol === 'https' ? 443 : 80)),
    protocol,
  });
}
