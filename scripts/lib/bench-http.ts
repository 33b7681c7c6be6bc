// HTTP helpers for `npm run bench:scale`: sign in through the app's own
// credentials flow, time requests one at a time, and read a process tree's RSS.
import { readdirSync, readFileSync } from 'node:fs';

export interface Timing {
  p50: number;
  p95: number;
  status: number;
  bytes: number;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Sign in with email and password as the browser does; returns the Cookie header. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  keep(csrf);
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: base }).toString(),
  });
  keep(response);
  if (![...jar.keys()].some((k) => k.includes('session-token')))
    throw new Error(
      `sign-in as ${email} failed (status ${response.status}, to ${response.headers.get('location')})`,
    );
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** `warmup` untimed requests, then `runs` timed ones, one at a time. */
export async function time(
  url: string,
  headers: Record<string, string>,
  runs = 20,
  warmup = 3,
): Promise<Timing> {
  const latencies: number[] = [];
  let status = 0;
  let bytes = 0;
  for (let i = 0; i < warmup + runs; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers, redirect: 'manual' });
    const body = await response.arrayBuffer();
    const elapsed = performance.now() - started;
    status = response.status;
    bytes = body.byteLength;
    if (i >= warmup) latencies.push(elapsed);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), status, bytes };
}

/** Resident memory of a process and all its descendants, in MiB (Linux). */
export function treeRssMiB(rootPid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      rss.set(pid, (Number(fields[21]) * 4096) / 1048576);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // the process exited while we read
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}
