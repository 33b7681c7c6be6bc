import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GET as ledgerApi } from '@/app/api/credits/ledger/route';
import { GET as paymentsApi } from '@/app/api/stripe/payments/route';
import { listPayments, searchUsers } from '@/lib/admin/queries';
import { createApiKey } from '@/lib/api/keys';
import { ledgerPage } from '@/lib/billing/credits/ledger';
import { db } from '@/lib/db';
import { type Cursor, readCursor } from '@/lib/pagination';
import { createUser } from '@/lib/testing/fixtures';

// Walking every page visits every row once, in order, even when many rows
// share a timestamp (same-millisecond writes are routine under load).

async function userWithLedger(times: number[]) {
  const user = await createUser();
  const base = Date.UTC(2026, 0, 1);
  await db.creditLedger.createMany({
    data: times.map((t, i) => ({
      id: `c${randomUUID().replace(/-/g, '').slice(0, 24)}`,
      workspaceId: user.workspaceId,
      kind: 'purchase' as const,
      amount: 1,
      balanceAfter: i + 1,
      sourceKey: `test:${randomUUID()}`,
      createdAt: new Date(base + t),
    })),
  });
  await db.workspace.update({ where: { id: user.workspaceId }, data: { creditBalance: times.length } });
  return user;
}

const cursorOf = (raw: string | null): Cursor | null => {
  const read = readCursor(raw);
  if (!read.ok) throw new Error(read.message);
  return read.cursor;
};

describe('keyset pagination against PostgreSQL', () => {
  it('walks a ledger with many ties: every entry once, newest first (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        async (times, limit) => {
          const user = await userWithLedger(times);
          const expected = await db.creditLedger.findMany({
            where: { workspaceId: user.workspaceId },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            select: { id: true },
          });
          const seen: string[] = [];
          let cursor: Cursor | null = null;
          for (let pages = 0; pages <= times.length + 1; pages += 1) {
            const page = await ledgerPage(user.workspaceId, { limit, cursor });
            expect(page.data.length).toBeLessThanOrEqual(limit);
            seen.push(...page.data.map((e) => e.id));
            if (!page.nextCursor) break;
            cursor = cursorOf(page.nextCursor);
          }
          expect(seen).toEqual(expected.map((e) => e.id));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('pages the ledger API by next_cursor and answers 400 to a cursor no page returned', async () => {
    const user = await userWithLedger([0, 0, 0, 1, 1, 2, 2, 2, 2, 3]);
    const { key } = await createApiKey({ workspaceId: user.workspaceId, userId: user.id }, 'test');
    const get = (query: string) =>
      ledgerApi(
        new Request(`http://127.0.0.1/api/credits/ledger${query}`, {
          headers: { authorization: `Bearer ${key}` },
        }),
      );
    const ids: string[] = [];
    let query = '?limit=3';
    for (;;) {
      const body = (await (await get(query)).json()) as {
        data: Array<{ id: string }>;
        has_more: boolean;
        next_cursor: string | null;
      };
      ids.push(...body.data.map((e) => e.id));
      if (!body.next_cursor) break;
      expect(body.has_more).toBe(true);
      query = `?limit=3&cursor=${encodeURIComponent(body.next_cursor)}`;
    }
    expect(new Set(ids).size).toBe(10);
    for (const bad of ['not-a-cursor', 'cm3k9x2qf0004lk08r1v7d2ab', '1.a%20b']) {
      const response = await get(`?cursor=${bad}`);
      expect(response.status, bad).toBe(400);
      expect(
        ((await response.json()) as { error: string; fields: Record<string, string[]> }).fields.cursor,
      ).toEqual(['cursor must be the next_cursor of a previous page']);
    }
    const payments = await paymentsApi(
      new Request('http://127.0.0.1/api/stripe/payments?cursor=bogus', {
        headers: { authorization: `Bearer ${key}` },
      }),
    );
    expect(payments.status).toBe(400);
  });

  it("walks a payer search's pages with ties and filters: every payment once, newest first (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 3 }), failed: fc.boolean() }), {
          minLength: 30,
          maxLength: 90,
        }),
        fc.boolean(),
        async (rows, onlyFailed) => {
          const tag = randomUUID().slice(0, 8);
          // Two payers share the search term; a third does not.
          const payers = await Promise.all(
            ['a', 'b', 'z'].map((who) =>
              db.user.create({
                data: {
                  email: `${who === 'z' ? 'other' : 'payer'}${tag}${who}@example.com`,
                  referralCode: `P${tag}${who}`,
                },
                select: { id: true, personalWorkspace: { select: { id: true } } },
              }),
            ),
          );
          const base = Date.UTC(2026, 0, 1);
          await db.payment.createMany({
            data: rows.map((r, i) => ({
              workspaceId: payers[i % 3]!.personalWorkspace!.id,
              kind: 'credits' as const,
              amount: 100,
              status: r.failed ? ('failed' as const) : ('completed' as const),
              createdAt: new Date(base + r.t),
            })),
          });
          const expected = await db.payment.findMany({
            where: {
              workspaceId: { in: [payers[0]!.personalWorkspace!.id, payers[1]!.personalWorkspace!.id] },
              ...(onlyFailed ? { status: 'failed' as const } : {}),
            },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            select: { id: true },
          });
          const seen: string[] = [];
          let cursor: Cursor | null = null;
          for (let pages = 0; pages <= rows.length + 1; pages += 1) {
            const filters = { q: `payer${tag}`, ...(onlyFailed ? { status: 'failed' as const } : {}) };
            const page = await listPayments(filters, cursor);
            seen.push(...page.data.map((p) => p.id));
            if (!page.nextCursor) break;
            cursor = cursorOf(page.nextCursor);
          }
          expect(seen).toEqual(expected.map((p) => p.id));
        },
      ),
      { numRuns: 8 },
    );
  });

  it('searches text literally: % and _ match themselves, not everything', async () => {
    const tag = randomUUID().slice(0, 8);
    const odd = await db.user.create({
      data: { email: `p${tag}@example.com`, name: `Rate 100%_${tag}`, referralCode: `R${tag}` },
    });
    await db.user.create({
      data: { email: `q${tag}@example.com`, name: `Rate 1000x${tag}`, referralCode: `S${tag}` },
    });
    expect((await searchUsers(`100%_${tag}`, null)).data.map((u) => u.id)).toEqual([odd.id]);
    expect((await searchUsers(`0%x${tag}`, null)).data).toEqual([]);
    expect((await searchUsers('%%%', null)).data).toEqual([]);
    expect((await searchUsers(`P${tag.toUpperCase()}@EXAMPLE`, null)).data.map((u) => u.id)).toEqual([
      odd.id,
    ]);
  });

  it('finds exact ids that match nothing as an empty list, not a text search', async () => {
    expect((await listPayments({ q: 'pi_doesnotexist' }, null)).data).toEqual([]);
    expect((await listPayments({ q: 're_doesnotexist' }, null)).data).toEqual([]);
    expect((await searchUsers('cus_doesnotexist', null)).data).toEqual([]);
    expect((await searchUsers('ab', null)).data).toEqual([]);
  });
});
