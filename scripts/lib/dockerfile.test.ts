import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerStage } from './dockerfile';

const root = mkdtempSync(path.join(os.tmpdir(), 'dockerfile-'));
writeFileSync(
  path.join(root, 'Dockerfile'),
  [
    'FROM node:20 AS build',
    'ENV SKIP=1',
    'FROM node:20-slim AS runner',
    'ENV NODE_ENV=production \\',
    '    NODE_OPTIONS=--max-old-space-size=512 PORT=3000',
    'COPY --from=build --chown=node:node /app/.next/standalone ./',
    'CMD ["node", "server.js"]',
  ].join('\n'),
);

describe('dockerStage', () => {
  it("reads a stage's ENV (values may contain '=', lines may continue), COPY --from=build and CMD", () => {
    expect(dockerStage('runner', root)).toEqual({
      env: { NODE_ENV: 'production', NODE_OPTIONS: '--max-old-space-size=512', PORT: '3000' },
      copies: [{ from: '.next/standalone', to: './' }],
      cmd: ['node', 'server.js'],
    });
  });

  it('names a missing stage', () => {
    expect(() => dockerStage('worker', root)).toThrow('no stage worker in the Dockerfile');
  });
});
