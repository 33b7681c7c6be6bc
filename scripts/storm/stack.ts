// The storm's stack: a restartable embedded PostgreSQL, the Stripe emulator with chaos, a load
// balancer in front of two `next start` instances that counts what Stripe delivered, and the
// reconcile script as a separate process.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startLocalPostgres, type LocalPostgres } from '../lib/embedded-postgres';
import { projectRoot } from '../lib/schema-engine';

export interface Database {
  url: string;
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

/** A persistent data directory, so the server can stop and start again on it mid-storm. */
export async function startDatabase(): Promise<Database> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tollgate-storm-pg-'));
  const port = await freePort();
  // max_connections: two instances' pools and job workers, reconcile and the driver.
  const start = () =>
    startLocalPostgres({ dataDir, port, persistent: true, flags: ['-c', 'max_connections=200'] });
  let server: LocalPostgres = await start();
  await server.createDatabase('tollgate');
  return {
    url: server.url('tollgate'),
    async restart() {
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      server = await start();
    },
    async stop() {
      await server.stop().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Deliveries {
  requests: number;
  /** Requests for an event the app had already acknowledged (2xx) once. */
  duplicates: number;
  /** Answers of 500 or more from the app (the emulator retries them). */
  serverErrors: number;
  /** Requests no instance answered (an instance restarting, a refused connection). */
  unreachable: number;
  eventIds: Set<string>;
}

/** Round-robin to the instances, as a load balancer would; counts every webhook delivery. */
export async function startBalancer(
  targets: () => string[],
): Promise<{ url: string; stats: Deliveries; close: () => Promise<void> }> {
  const stats: Deliveries = {
    requests: 0,
    duplicates: 0,
    serverErrors: 0,
    unreachable: 0,
    eventIds: new Set(),
  };
  const acknowledged = new Set<string>();
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const id = /"id":\s*"(evt_[^"]+)"/.exec(body.toString('utf8', 0, 200))?.[1] ?? '';
      stats.requests += 1;
      if (id) stats.eventIds.add(id);
      if (acknowledged.has(id)) stats.duplicates += 1;
      const all = targets();
      const target = new URL(req.url ?? '/', all[next++ % all.length]);
      const upstream = http.request(
        target,
        { method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          const status = answer.statusCode ?? 502;
          if (status >= 500) stats.serverErrors += 1;
          if (status < 300 && id) acknowledged.add(id);
          res.writeHead(status, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        stats.unreachable += 1;
        if (!res.headersSent) res.writeHead(502).end('upstream unreachable');
      });
      upstream.end(body);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface App {
  url: string;
  process: ChildProcess;
}

/** One production instance (`next start`) with its in-process job worker. */
export async function startApp(env: Record<string, string>): Promise<App> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      path.join(projectRoot, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', process.env.STORM_VERBOSE ? 'inherit' : 'ignore'],
      env: { ...process.env, ...env, NODE_ENV: 'production', APP_URL: url },
    },
  );
  for (let t = 0; t < 240; t += 1) {
    if ((await fetch(`${url}/api/health`).catch(() => null))?.ok) return { url, process: child };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`next start on ${url} did not become healthy`);
}

/** `npm run stripe:reconcile` as its own process; resolves with its exit code and output lines. */
export function runReconcile(env: Record<string, string>): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        '--conditions=react-server',
        path.join(projectRoot, 'scripts', 'stripe-reconcile.ts'),
      ],
      { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: string[] = [];
    const collect = (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (code) => resolve({ code: code ?? 1, lines }));
  });
}
