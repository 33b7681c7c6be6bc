// Playwright global setup: the whole product on real parts. A fresh
// PostgreSQL (migrated and seeded), a fresh Stripe emulator, a production
// build (`next build`, skipped with E2E_SKIP_BUILD=1) and `next start`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { projectRoot } from '../scripts/lib/schema-engine';
import { prepareDatabase, startDatabase } from '../scripts/lib/stack';
import { startStripe } from '../scripts/lib/stripe-stack';

const log = (line: string) => console.log(`[e2e] ${line}`);
const nextBin = path.join(projectRoot, 'node_modules', 'next', 'dist', 'bin', 'next');

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The app did not become healthy at ${url} within ${timeoutMs} ms`);
}

export default async function globalSetup(config: FullConfig) {
  // For running only the emulator's own browser tests, which start their own emulator.
  if (process.env.E2E_EMULATOR_ONLY === '1') return async () => {};
  const baseURL = String(config.projects[0]?.use.baseURL ?? 'http://127.0.0.1:3100');
  const port = new URL(baseURL).port || '3100';
  const database = await startDatabase('test', log);
  let stripe: Awaited<ReturnType<typeof startStripe>>;
  try {
    await prepareDatabase(database.url, log, { seed: true });
    stripe = await startStripe('test', baseURL, log);
  } catch (error) {
    await database.stop();
    throw error;
  }
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production' as const,
    DATABASE_URL: database.url,
    AUTH_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e-secret',
    APP_URL: baseURL,
    PORT: port,
    // e2e/accounts.spec.ts: the first admin comes from ADMIN_EMAILS.
    ADMIN_EMAILS: 'first-admin@example.com',
    // Every test signs up from 127.0.0.1: lift the per-address sign-up limit for the run.
    SIGN_UP_PER_IP_PER_HOUR: '100000',
    // A production build refuses to store workspaces' Stripe keys without an encryption key.
    TOLLGATE_ENCRYPTION_KEYS: `e2e:${randomBytes(32).toString('base64')}`,
    ...(stripe.settings ?? {}),
  };
  Object.assign(process.env, {
    E2E_DATABASE_URL: database.url,
    E2E_BASE_URL: baseURL,
    E2E_APP_ENV: JSON.stringify({
      DATABASE_URL: database.url,
      AUTH_SECRET: appEnv.AUTH_SECRET,
      TOLLGATE_ENCRYPTION_KEYS: appEnv.TOLLGATE_ENCRYPTION_KEYS,
      ...(stripe.settings ?? {}),
    }),
    ...(stripe.emulatorUrl ? { E2E_EMULATOR_URL: stripe.emulatorUrl } : {}),
  });

  if (process.env.E2E_SKIP_BUILD !== '1') {
    log('Building the app (next build)…');
    const build = spawnSync(process.execPath, [nextBin, 'build'], {
      cwd: projectRoot,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (build.status !== 0) throw new Error('next build failed');
  }
  log(`Starting next start on ${baseURL}…`);
  const app = spawn(process.execPath, [nextBin, 'start', '-p', port, '-H', '127.0.0.1'], {
    cwd: projectRoot,
    env: appEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stdout?.on('data', (d: Buffer) => process.env.E2E_VERBOSE && process.stdout.write(d));
  app.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  await waitForHealth(baseURL, app);
  log('App is healthy.');

  return async () => {
    app.kill('SIGTERM');
    await new Promise((r) => (app.exitCode !== null ? r(null) : app.once('exit', r)));
    await stripe.stop();
    await database.stop();
  };
}
