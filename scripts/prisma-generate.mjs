// postinstall: generate the Prisma client into lib/generated/prisma.
// `prisma generate` does not use the native schema engine, but the CLI still
// tries to download it unless PRISMA_SCHEMA_ENGINE_BINARY names a file; offline
// that download fails. Migrations run through the WebAssembly engine instead
// (scripts/lib/schema-engine.ts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
