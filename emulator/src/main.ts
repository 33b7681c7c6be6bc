import { parseArgs } from 'node:util';
import { DEFAULT_DATA_FILE, DEFAULT_PORT, startEmulator } from './index';

const usage = `Usage: npm run emulator -- [--port 12111] [--host 127.0.0.1] [--data-file path | --in-memory] [--quiet]

A local, stateful Stripe API emulator. Point the stripe SDK at it with
  new Stripe('sk_test_anything', { host: '127.0.0.1', port: 12111, protocol: 'http' })
Env: STRIPE_EMULATOR_PORT sets the port (the --port flag wins).`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-file': { type: 'string' },
    'in-memory': { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}

const portText = values.port ?? process.env.STRIPE_EMULATOR_PORT;
const port = portText === undefined ? DEFAULT_PORT : Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port: ${portText}\n\n${usage}`);
  process.exit(2);
}

async function main(): Promise<void> {
const emulator = await startEmulator({
  port,
  host: values.host,
  dataFile: values['in-memory'] ? null : (values['data-file'] ?? DEFAULT_DATA_FILE),
  quiet: true,
});
console.log(`Stripe emulator running at ${emulator.url}`);
console.log(`  Deliveries: ${emulator.url}/_emulator   State: ${values['in-memory'] ? 'in memory' : (values['data-file'] ?? DEFAULT_DATA_FILE)}`);
if (!values.quiet) console.log('  Press Ctrl+C to stop.');

const stop = async () => {
  await emulator.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
