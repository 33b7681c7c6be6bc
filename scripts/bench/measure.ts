// Measurements for the webhook benchmark: CPU time of process trees (from
// /proc, Linux), statements (pg_stat_statements) and lag percentiles.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

const TICKS = 100; // USER_HZ on Linux

function stat(pid: number): { ppid: number; self: number; children: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return {
      ppid: Number(fields[1]),
      self: (Number(fields[11]) + Number(fields[12])) / TICKS,
      children: (Number(fields[13]) + Number(fields[14])) / TICKS,
    };
  } catch {
    return null;
  }
}

/** CPU seconds used so far by these processes and all their descendants (live, or exited and reaped). */
export function treeCpu(roots: number[]): number {
  const parents = new Map<number, number>();
  const stats = new Map<number, NonNullable<ReturnType<typeof stat>>>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s) continue;
    stats.set(pid, s);
    parents.set(pid, s.ppid);
  }
  const inTree = (pid: number) => {
    for (let p: number | undefined = pid, depth = 0; p && depth < 20; p = parents.get(p), depth += 1)
      if (roots.includes(p)) return true;
    return false;
  };
  let total = 0;
  for (const [pid, s] of stats) if (inTree(pid)) total += s.self + (roots.includes(pid) ? s.children : 0);
  return total;
}

export const MARK = '/* bench */';
// The benchmark's own queries (pg_stat_statements drops the comment when it normalises some).
const OWN = `query NOT LIKE '%/* bench */%' AND query NOT ILIKE '%pg_stat_statements%'
  AND query NOT LIKE '%AS recorded%' AND query NOT LIKE '%percentile_cont%'`;

export async function resetStatements(client: pg.Client): Promise<void> {
  await client.query(`${MARK} SELECT pg_stat_statements_reset()`);
}

/**
 * Statements the server ran since the last reset, leaving out the benchmark's own: all of
 * them (nested ones inside functions and triggers too, such as add_job's inserts and foreign
 * key checks) and the top-level ones (a round trip from a client each).
 */
export async function statements(client: pg.Client): Promise<{ all: number; topLevel: number }> {
  const { rows } = await client.query<{ n: string; top: string }>(
    `${MARK} SELECT coalesce(sum(calls), 0)::bigint AS n,
       coalesce(sum(calls) FILTER (WHERE toplevel), 0)::bigint AS top FROM pg_stat_statements
     WHERE ${OWN}`,
  );
  return { all: Number(rows[0]?.n ?? 0), topLevel: Number(rows[0]?.top ?? 0) };
}

/**
 * The statements that took the most time since the last reset, per event (BENCH_PROFILE=1): calls
 * per event, mean time per call, time per event. A top-level statement's time includes its nested ones'.
 */
export async function topStatements(client: pg.Client, events: number, limit = 14): Promise<string[]> {
  const { rows } = await client.query<{ calls: string; ms: number; query: string }>(
    `${MARK} SELECT calls::bigint AS calls, total_exec_time AS ms,
       CASE WHEN toplevel THEN '' ELSE '(nested) ' END || query AS query FROM pg_stat_statements
     WHERE ${OWN}
     ORDER BY total_exec_time DESC LIMIT ${limit}`,
  );
  return rows.map(
    (r) =>
      `${(Number(r.calls) / events).toFixed(2).padStart(6)}/event ${(r.ms / Number(r.calls)).toFixed(2).padStart(7)} ms ${(r.ms / events).toFixed(3).padStart(7)} ms/event  ${r.query.replace(/\s+/g, ' ').slice(0, 100)}`,
  );
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Lag from recording (just before the 2xx) to applied, in ms, of the events received since `since`. */
export async function lagPercentiles(client: pg.Client, since: Date) {
  const { rows } = await client.query<{ p50: number; p95: number; p99: number; max: number }>(
    `${MARK} SELECT
       percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY lag) AS p95,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99,
       max(lag) AS max
     FROM (SELECT extract(epoch FROM "processedAt" - "receivedAt") * 1000 AS lag
           FROM "WebhookEvent" WHERE "receivedAt" >= $1 AND "processedAt" IS NOT NULL) t`,
    [since.toISOString().replace('Z', '')],
  );
  const row = rows[0]!;
  // numeric and float8 columns arrive as strings or numbers depending on the type: normalise.
  return { p50: Number(row.p50), p95: Number(row.p95), p99: Number(row.p99), max: Number(row.max) };
}

export async function counts(client: pg.Client): Promise<{ recorded: number; applied: number }> {
  const { rows } = await client.query<{ recorded: number; applied: number }>(
    `${MARK} SELECT count(*)::int AS recorded,
       count(*) FILTER (WHERE status IN ('processed', 'ignored'))::int AS applied FROM "WebhookEvent"`,
  );
  return rows[0]!;
}

/** The servers' warning and error lines written since byte `from` of `file`, counted by message. */
export function serverLogSummary(file: string, from: number): string {
  if (!existsSync(file)) return 'none';
  const text = readFileSync(file).subarray(from).toString('utf8');
  const byMessage = new Map<string, number>();
  let first = '';
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string; message?: string; error?: string };
      if (entry.level !== 'warn' && entry.level !== 'error') continue;
      const key = `${entry.level} ${entry.msg}`;
      byMessage.set(key, (byMessage.get(key) ?? 0) + 1);
      first ||= `${key}: ${(entry.message ?? entry.error ?? '').split('\n')[0]!.slice(0, 160)}`;
    } catch {
      // a line cut by the process stopping
    }
  }
  if (byMessage.size === 0) return 'no warnings or errors';
  return `${[...byMessage].map(([k, n]) => `${k} ×${n}`).join(', ')}; first: ${first}`;
}
