import { defineConfig } from 'vitest/config';

// The emulator's contract tests: the official SDK against a live emulator. Runs alone
// (`npm test -w emulator`) and as the `emulator` project of the root Vitest run.
export default defineConfig({
  test: {
    name: 'emulator',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
