import { parseArgs } from 'node:util';
import { DEFAULT_DATA_FILE, DEFAULT_PORT, startEmulator } from './index';

const usage = `Usage: npm run emulator -- [--port 12111] [--host 127.0.0.1] [--data-file path | --in-memory]

A local, stateful Stripe API emulator. Point the stripe SDK at it with
  new Stripe('sk_test_anything', { host: '127.0.0.1', port: 12111, protocol: 'http' })
Environment: STRIPE_EMULATOR_PORT sets the port (--port wins).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-file': { type: 'string' },
      'in-memory': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const portText = values.port ?? process.env.STRIPE_EMULATOR_PORT;
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid port: ${portText}\n\n${usage}`);
    process.exit(2);
  }
  const dataFile = values['in-memory'] ? null : (values['data-file'] ?? DEFAULT_DATA_FILE);
  const emulator = await startEmulator({ port, host: values.host, dataFile, quiet: false });
  console.log(`  API:        ${emulator.url}/v1`);
  console.log(`  Deliveries: ${emulator.url}/_emulator`);
  console.log('  Press Ctrl+C to stop.');
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
