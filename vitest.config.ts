import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Files that run job-queue workers (in this process or as `npm run worker` processes).
const JOB_QUEUE_TESTS = ['lib/jobs/**/*.int.test.ts', 'lib/email/**/*.int.test.ts'];
const integration = {
  globalSetup: ['./scripts/vitest-global-db.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  fileParallelism: false,
  // next-auth imports 'next/server' without an extension; let Vite resolve it.
  server: { deps: { inline: ['next-auth', '@auth/core'] } },
};

// Four projects: pure unit tests, integration tests against a real PostgreSQL
// (one fresh embedded server per run, see scripts/vitest-global-db.ts), and the Stripe
// emulator's contract tests (the official SDK against a live emulator).
export default defineConfig({
  resolve: { alias: { '@': root, 'server-only': `${root}scripts/lib/server-only-stub.ts` } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'lib/**/*.test.ts',
            'app/**/*.test.ts',
            'components/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'lib/**/*.int.test.ts',
            'app/**/*.int.test.ts',
            'scripts/**/*.int.test.ts',
            'prisma/**/*.int.test.ts',
          ],
          exclude: [...JOB_QUEUE_TESTS, 'node_modules/**'],
          ...integration,
        },
      },
      // Tests that run job-queue workers get a database of their own (`npm test` runs this
      // project in a separate Vitest run): jobs other files leave queued must not reach them.
      { extends: true, test: { name: 'jobs', include: JOB_QUEUE_TESTS, ...integration } },
      // The emulator package's own config (emulator/vitest.config.ts), project name 'emulator'.
      'emulator/vitest.config.ts',
    ],
  },
});
