import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCursor, readCursor, seekAfter, toPage } from './pagination';

describe('keyset cursors', () => {
  it('round-trip any (time, id) pair exactly', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date('2200-01-01'), noInvalidDate: true }),
        fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/),
        (at, id) => {
          const read = readCursor(encodeCursor(at, id));
          expect(read).toEqual({ ok: true, cursor: { at, id } });
        },
      ),
    );
  });

  it('treat an absent cursor as the first page and reject anything a page never returned', () => {
    expect(readCursor(undefined)).toEqual({ ok: true, cursor: null });
    expect(readCursor('')).toEqual({ ok: true, cursor: null });
    for (const bad of [
      'abc',
      'cm3k9x2qf0004lk08r1v7d2ab',
      '12.',
      '.abc',
      '1.a b',
      '1.a;drop',
      '9'.repeat(16) + '.x',
    ]) {
      expect(readCursor(bad).ok, bad).toBe(false);
    }
  });

  it('seek strictly after the cursor in (time desc, id desc) order', () => {
    const at = new Date('2026-01-02T03:04:05.006Z');
    expect(seekAfter('createdAt', null)).toEqual({});
    expect(seekAfter('createdAt', { at, id: 'b' })).toEqual({
      AND: [{ createdAt: { lte: at } }, { OR: [{ createdAt: { lt: at } }, { id: { lt: 'b' } }] }],
    });
  });

  it('cut limit + 1 rows into a page whose cursor is its last row', () => {
    const rows = [3, 2, 1].map((n) => ({ id: `r${n}`, at: new Date(n * 1000) }));
    expect(toPage(rows, 2, (r) => r.at)).toEqual({
      data: rows.slice(0, 2),
      hasMore: true,
      nextCursor: '2000.r2',
    });
    expect(toPage(rows, 3, (r) => r.at)).toEqual({ data: rows, hasMore: false, nextCursor: null });
  });
});
