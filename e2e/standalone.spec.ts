import { spawn } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';

// The Docker image runs `node server.js` from Next's standalone output; start
// it the same way (with the static assets copied in, as the Dockerfile does).
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

test('the standalone server starts and serves the home page', async ({ request }) => {
  const root = process.cwd();
  const standalone = path.join(root, '.next', 'standalone');
  expect(existsSync(path.join(standalone, 'server.js'))).toBe(true);
  cpSync(path.join(root, '.next', 'static'), path.join(standalone, '.next', 'static'), { recursive: true });
  if (existsSync(path.join(root, 'public')))
    cpSync(path.join(root, 'public'), path.join(standalone, 'public'), { recursive: true });

  const port = await freePort();
  const appEnv = JSON.parse(process.env.E2E_APP_ENV ?? '{}') as Record<string, string>;
  const server = spawn(process.execPath, ['server.js'], {
    cwd: standalone,
    env: {
      ...process.env,
      ...appEnv,
      NODE_ENV: 'production',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      APP_URL: `http://127.0.0.1:${port}`,
    },
    stdio: 'pipe',
  });
  let output = '';
  server.stdout.on('data', (d: Buffer) => (output += d.toString()));
  server.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await expect
      .poll(async () => (await request.get(`http://127.0.0.1:${port}/`).catch(() => null))?.status() ?? 0, {
        timeout: 30_000,
        message: output,
      })
      .toBe(200);
    const home = await request.get(`http://127.0.0.1:${port}/`);
    expect(await home.text()).toContain('Ship your SaaS with billing that is done right.');
    const health = await request.get(`http://127.0.0.1:${port}/api/health`);
    expect(await health.json()).toEqual({ ok: true });
  } finally {
    server.kill('SIGTERM');
  }
});
