// `npm test`: every check, in order, stopping at the first failure.
// lint → typecheck → Vitest (unit, integration on real PostgreSQL, emulator
// contract tests) → next build → a bounded storm against the built app (ADR 0017;
// `npm run test:storm` is the full one) → Playwright E2E in Chromium.
import { spawnSync } from 'node:child_process';

const steps: Array<{ name: string; cmd: string[]; env?: Record<string, string> }> = [
  { name: 'lint', cmd: ['npx', 'eslint', '.', '--max-warnings', '0'] },
  { name: 'format', cmd: ['npx', 'prettier', '--check', '.'] },
  { name: 'typecheck', cmd: ['npx', 'tsc', '--noEmit'] },
  {
    name: 'vitest',
    cmd: ['npx', 'vitest', 'run', '--project', 'unit', '--project', 'integration', '--project', 'emulator'],
  },
  { name: 'vitest-jobs', cmd: ['npx', 'vitest', 'run', '--project', 'jobs'] },
  { name: 'build', cmd: ['npx', 'next', 'build'] },
  // Every kind of customer life at least once, with chaos, a PostgreSQL restart and reconcile (~2 min).
  {
    name: 'storm',
    cmd: ['npx', 'tsx', '--conditions=react-server', 'scripts/storm.ts'],
    env: { STORM_LIVES: '8', STORM_SEED: process.env.STORM_SEED ?? '1212' },
  },
  { name: 'e2e', cmd: ['npx', 'playwright', 'test'], env: { E2E_SKIP_BUILD: '1' } },
];

const only = process.argv.slice(2);
const started = Date.now();
for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  const t = Date.now();
  console.log(`\n▶ ${step.name}: ${step.cmd.join(' ')}`);
  const result = spawnSync(step.cmd[0]!, step.cmd.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, ...step.env },
  });
  const seconds = ((Date.now() - t) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${step.name} failed after ${seconds}s (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
  console.log(`✔ ${step.name} passed in ${seconds}s`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)}s.`);
