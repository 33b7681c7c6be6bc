// The Dockerfile's stages as data: what e2e/standalone.spec.ts runs to check the
// Docker path without an engine, following the image instead of copying it.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface DockerStage {
  copies: Array<{ from: string; to: string }>;
  env: Record<string, string>;
  cmd: string[];
}

/** A stage of the Dockerfile in `root` (the project's root). */
export function dockerStage(name: string, root: string): DockerStage {
  const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const lines = dockerfile.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^FROM .* AS ${name}$`, 'i').test(l.trim()));
  if (start < 0) throw new Error(`no stage ${name} in the Dockerfile`);
  const end = lines.findIndex((l, i) => i > start && /^FROM /i.test(l.trim()));
  const body = lines.slice(start + 1, end === -1 ? undefined : end).map((l) => l.trim());
  const copies = body
    .filter((l) => l.startsWith('COPY --from=build'))
    .map((l) => {
      const parts = l.split(/\s+/).filter((p) => !p.startsWith('--') && p !== 'COPY');
      return { from: parts[0]!.replace(/^\/app\/?/, ''), to: parts[1]! };
    });
  const env: Record<string, string> = {};
  for (const l of body.filter((l) => l.startsWith('ENV ')))
    for (const pair of l.slice(4).trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  const cmdLine = body.find((l) => l.startsWith('CMD ['));
  return { copies, env, cmd: cmdLine ? (JSON.parse(cmdLine.slice(4)) as string[]) : [] };
}
