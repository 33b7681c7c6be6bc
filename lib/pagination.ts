import { z } from 'zod';

// Keyset pagination, shared by every list in the app. A list is ordered newest
// first by (a timestamp, id); the cursor is the last row's pair, and the next
// page is `t <= X AND (t < X OR id < Y)`: a range an index on (t, id) can seek
// to directly. Never OFFSET, never Prisma's `cursor` option (which becomes
// `(t = (sub) AND id <= (sub)) OR t < (sub)` and reads every newer row).
// See docs/decisions/0013-keyset-pagination-and-back-office-indexes.md.

export interface Cursor {
  at: Date;
  id: string;
}

// `<epoch ms>.<id>`: readable, URL-safe, and enough to seek without a lookup.
// Timestamps are stored with millisecond precision (timestamp(3)), so the
// pair round-trips exactly.
const cursorText = z
  .string()
  .regex(/^\d{1,15}\.[A-Za-z0-9_]{1,255}$/, 'cursor must be the next_cursor of a previous page');

export function encodeCursor(at: Date, id: string): string {
  return `${at.getTime()}.${id}`;
}

export type CursorParam = { ok: true; cursor: Cursor | null } | { ok: false; message: string };

/** A cursor from a query string: absent is the first page; malformed is an error. */
export function readCursor(raw: string | null | undefined): CursorParam {
  if (raw == null || raw === '') return { ok: true, cursor: null };
  const parsed = cursorText.safeParse(raw);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]!.message };
  const dot = raw.indexOf('.');
  const at = new Date(Number(raw.slice(0, dot)));
  if (Number.isNaN(at.getTime())) return { ok: false, message: 'cursor holds an impossible time' };
  return { ok: true, cursor: { at, id: raw.slice(dot + 1) } };
}

/** For pages: a malformed cursor in a hand-edited URL shows the first page. */
export function cursorOrFirstPage(raw: string | undefined): Cursor | null {
  const read = readCursor(raw);
  return read.ok ? read.cursor : null;
}

type Seek<K extends string> = {
  AND: [{ [P in K]: { lte: Date } }, { OR: [{ [P in K]: { lt: Date } }, { id: { lt: string } }] }];
};

/** The Prisma `where` fragment for "rows after `cursor`" in (key desc, id desc) order. */
export function seekAfter<K extends string>(key: K, cursor: Cursor | null): Seek<K> | Record<string, never> {
  if (!cursor) return {};
  const at = (op: 'lte' | 'lt') =>
    ({ [key]: { [op]: cursor.at } }) as { [P in K]: { lte: Date } & { lt: Date } };
  return { AND: [at('lte'), { OR: [at('lt'), { id: { lt: cursor.id } }] }] };
}

/** The Prisma `orderBy` matching `seekAfter`. */
export function newestFirst<K extends string>(key: K): [{ [P in K]: 'desc' }, { id: 'desc' }] {
  return [{ [key]: 'desc' } as { [P in K]: 'desc' }, { id: 'desc' }];
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

/** Cut `limit + 1` fetched rows into a page and the cursor of its last row. */
export function toPage<T extends { id: string }>(rows: T[], limit: number, at: (row: T) => Date): Page<T> {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  return { data, hasMore, nextCursor: hasMore && last ? encodeCursor(at(last), last.id) : null };
}
