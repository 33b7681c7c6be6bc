import { resolve } from 'node:path';
import {
  DEFAULT_BILLING_SETTINGS,
  parseBillingSettings,
  type BillingSettingsInput,
} from './billing/settings';
import { parseChaos, type ChaosInput } from './control';
import { Emulator } from './emulator';
import { Persistence } from './persistence';
import { registerAll } from './register';
import { createHttpServer } from './server';

export type { BillingSettings, BillingSettingsInput } from './billing/settings';
export type { ChaosInput } from './control';
export type { AttemptLog } from './events/delivery';
export { API_VERSION } from './types';

export const DEFAULT_PORT = 12111;
export const DEFAULT_DATA_FILE = '.data/emulator/state.json';
export const DEFAULT_RETRY_SCHEDULE = [1000, 5000, 30_000, 120_000];

export interface StartEmulatorOptions {
  /** 0 picks a free port. Default 12111. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** JSON state file; null keeps everything in memory. Default `.data/emulator/state.json`. */
  dataFile?: string | null;
  /** Pauses between webhook retries, in ms; the delivery is failed after the last. */
  retrySchedule?: number[];
  /** Silences the emulator's own log lines. */
  quiet?: boolean;
  /** How long a webhook receiver may take before the attempt counts as failed. Default 10 s. */
  webhookTimeoutMs?: number;
  /** Initial chaos settings (see POST /_emulator/chaos). */
  chaos?: ChaosInput;
  /** Billing settings (see POST /_emulator/settings), e.g. `{ dunning_final_action: 'unpaid' }`. */
  billing?: BillingSettingsInput;
}

export interface RunningEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Clears all state (objects, events, deliveries, idempotency keys, chaos). */
  reset(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const emu = new Emulator({
    retrySchedule: options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
    quiet: options.quiet ?? false,
    chaos: parseChaos(options.chaos ?? {}),
    billing: parseBillingSettings(options.billing ?? {}, DEFAULT_BILLING_SETTINGS),
  });
  registerAll(emu);

  const dataFile = options.dataFile === undefined ? DEFAULT_DATA_FILE : options.dataFile;
  const persistence = dataFile ? new Persistence(resolve(dataFile), emu.store, (m) => emu.log(m)) : null;
  persistence?.load();
  if (persistence) emu.store.onChange(() => persistence.schedule());

  const server = createHttpServer(emu);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', fail);
      done();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  emu.baseUrl = url;
  const ticker = setInterval(() => emu.tick(), 1000);
  ticker.unref();
  emu.log(`Stripe emulator listening on ${url}${dataFile ? ` (state: ${dataFile})` : ' (in memory)'}`);

  return {
    url,
    port,
    async reset() {
      emu.reset();
      persistence?.flush();
    },
    async close() {
      clearInterval(ticker);
      emu.deliveries.clear();
      persistence?.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
