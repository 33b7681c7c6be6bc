// `npm run dev`: everything the product needs on a fresh machine, then
// `next dev`. Prints what it starts; Ctrl-C stops it all cleanly.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nextEnv from '@next/env';
import { demoAccounts } from './lib/demo-accounts';
import { projectRoot } from './lib/schema-engine';
import { prepareDatabase, startDatabase } from './lib/stack';
import { startStripe } from './lib/stripe-stack';

nextEnv.loadEnvConfig(projectRoot, true);
const log = (line: string) => console.log(`[tollgate] ${line}`);
const port = Number(process.env.PORT ?? 3000);
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;

function devAuthSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(projectRoot, '.data', 'auth-secret');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    log('Generated a development AUTH_SECRET in .data/auth-secret.');
  }
  return readFileSync(file, 'utf8').trim();
}

const stops: Array<() => Promise<void>> = [];
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log('Stopping…');
  for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(error));
  log('Stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  const database = await startDatabase('dev', log);
  stops.push(database.stop);
  await prepareDatabase(database.url, log, { seed: true });
  const stripe = await startStripe('dev', appUrl, log);
  stops.push(stripe.stop);

  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    AUTH_SECRET: devAuthSecret(),
    APP_URL: appUrl,
    ...(stripe.settings ?? {}),
  };
  log(`Starting Next.js on ${appUrl}…`);
  const next = spawn(
    process.execPath,
    [path.join(projectRoot, 'node_modules', 'next', 'dist', 'bin', 'next'), 'dev', '-p', String(port)],
    {
      env,
      stdio: ['inherit', 'pipe', 'inherit'],
    },
  );
  let announced = false;
  next.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && /Ready in|ready started/i.test(chunk.toString())) {
      announced = true;
      log(`Ready: ${appUrl}`);
      log('Demo accounts:');
      for (const account of Object.values(demoAccounts))
        log(`  ${account.role.padEnd(8)} ${account.email} / ${account.password}`);
      if (stripe.emulatorUrl)
        log(`Stripe emulator: ${stripe.emulatorUrl} (deliveries: ${stripe.emulatorUrl}/_emulator)`);
    }
  });
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        if (next.exitCode !== null) return resolve();
        next.once('exit', () => resolve());
        next.kill('SIGTERM');
      }),
  );
  next.on('exit', (code) => void shutdown(code ?? 0));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
}
