import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { dockerStage } from '../scripts/lib/dockerfile';
import { query } from './support/checkout';

// The Docker path as far as this machine allows, driven by the Dockerfile itself:
// the runner stage's COPY lines assemble the image's /app from the build's output,
// the migrator stage's CMD migrates a fresh database, and the runner's CMD and ENV
// start the server. The build stage is `npx next build`, which the E2E run already did.
const root = process.cwd();

const stage = (name: string) => dockerStage(name, root);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

test('the Docker stages: migrate a fresh database, then the standalone server serves it', async ({
  request,
}) => {
  test.setTimeout(180_000);
  const appEnv = JSON.parse(process.env.E2E_APP_ENV ?? '{}') as Record<string, string>;

  // migrator: `deps` plus the whole tree, running its CMD against an empty database.
  const database = `docker_${Date.now().toString(36)}`;
  await query(`CREATE DATABASE ${database}`);
  const databaseUrl = new URL(process.env.E2E_DATABASE_URL!);
  databaseUrl.pathname = `/${database}`;
  const migrator = stage('migrator');
  expect(migrator.cmd.slice(0, 2)).toEqual(['npx', 'tsx']);
  const migrated = spawnSync(migrator.cmd[0]!, migrator.cmd.slice(1), {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl.toString() },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(migrated.status, migrated.stderr).toBe(0);
  expect(migrated.stdout).toMatch(/Applied \d+ migration\(s\)/);
  expect(migrated.stdout).toContain('Job queue schema (graphile_worker) is up to date.');
  const fresh = new pg.Client({ connectionString: databaseUrl.toString() });
  await fresh.connect();
  const tables = await fresh.query<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
      WHERE table_name IN ('User', 'WebhookEvent', 'jobs') ORDER BY 1`,
  );
  await fresh.end();
  expect(tables.rows.map((r) => r.name)).toEqual(
    expect.arrayContaining(['public.User', 'public.WebhookEvent']),
  );

  // runner: only what its COPY lines take from the build stage, in a directory of its own.
  const runner = stage('runner');
  expect(runner.copies.length).toBeGreaterThanOrEqual(3);
  const app = mkdtempSync(path.join(os.tmpdir(), 'tollgate-runner-'));
  for (const { from, to } of runner.copies) {
    expect(existsSync(path.join(root, from)), `${from} exists after next build`).toBe(true);
    cpSync(path.join(root, from), path.join(app, to), { recursive: true });
  }

  const port = await freePort();
  const [command, ...args] = runner.cmd;
  expect(command).toBe('node');
  const server = spawn(process.execPath, args, {
    cwd: app,
    env: {
      ...process.env,
      ...appEnv,
      ...runner.env,
      DATABASE_URL: databaseUrl.toString(),
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      APP_URL: `http://127.0.0.1:${port}`,
    },
    stdio: 'pipe',
  });
  let output = '';
  server.stdout.on('data', (d: Buffer) => (output += d.toString()));
  server.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  try {
    await expect
      .poll(async () => (await request.get(`${base}/api/health`).catch(() => null))?.status() ?? 0, {
        timeout: 60_000,
        message: output,
      })
      .toBe(200);
    // The image's HEALTHCHECK asks the same URL.
    expect(await (await request.get(`${base}/api/health`)).json()).toEqual({ ok: true });
    const home = await request.get(`${base}/`);
    expect(await home.text()).toContain('Ship your SaaS with billing that is done right.');
    // Static assets and public/ were copied where the server looks for them.
    const script = /\/_next\/static\/[^"]+\.js/.exec(await home.text())?.[0];
    expect(script).toBeTruthy();
    expect((await request.get(`${base}${script}`)).status()).toBe(200);
    expect((await request.get(`${base}/favicon.svg`)).status()).toBe(200);
    expect((await request.get(`${base}/sign-in`)).status()).toBe(200);
  } finally {
    server.kill('SIGTERM');
    rmSync(app, { recursive: true, force: true });
    await query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  }
});
