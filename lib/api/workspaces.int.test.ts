import { describe, expect, it } from 'vitest';
import { GET as getMembers } from '@/app/api/workspaces/current/members/route';
import { GET as getCurrent } from '@/app/api/workspaces/current/route';
import { postEntry } from '@/lib/billing/credits/ledger';
import { db } from '@/lib/db';
import { apiRequest, apiUser } from '@/lib/testing/api';
import { createUser } from '@/lib/testing/fixtures';
import { teamSubscriber } from '@/lib/testing/seats';
import { createApiKey, revokeApiKey } from './keys';

// GET /api/workspaces/current and /current/members with real API keys: a key acts for its
// workspace only, lists page by cursor, and hostile query strings get a precise 400.

/** An API key made in `workspaceId` by `userId` (as the workspace's API keys page does). */
async function keyIn(userId: string, workspaceId: string) {
  return createApiKey({ workspaceId, userId }, 'workspace');
}

async function json(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const members = (key: string, query = '') =>
  getMembers(apiRequest(`/api/workspaces/current/members${query}`, { key }));

describe('GET /api/workspaces/current', () => {
  it('a personal workspace: no plan, one seat used, the credit balance', async () => {
    const { user, key } = await apiUser();
    await db.$transaction((tx) =>
      postEntry(tx, {
        workspaceId: user.workspaceId,
        kind: 'coupon',
        amount: 750,
        sourceKey: `api-ws-${user.id}`,
      }),
    );
    const personal = await db.workspace.findUniqueOrThrow({ where: { personalOfId: user.id } });
    expect(await json(await getCurrent(apiRequest('/api/workspaces/current', { key })))).toEqual({
      status: 200,
      body: {
        id: personal.id,
        name: personal.name,
        plan: null,
        seats: { used: 1, paid: null, limit: null },
        balance: 750,
      },
    });
  });

  it('a team on the per-seat plan: its plan, seats used / paid / limit', async () => {
    const team = await teamSubscriber(3);
    const { key } = await keyIn(team.owner.id, team.workspace.id);
    const { status, body } = await json(await getCurrent(apiRequest('/api/workspaces/current', { key })));
    expect(status).toBe(200);
    expect(body).toEqual({
      id: team.workspace.id,
      name: team.workspace.name,
      plan: { key: 'team', name: 'Team', interval: 'month', status: 'active' },
      seats: { used: 3, paid: 3, limit: 25 },
      balance: 0,
    });
  });

  it('answers 401 without a key or with a revoked one, and 404 once the key’s owner left the workspace', async () => {
    expect((await getCurrent(apiRequest('/api/workspaces/current'))).status).toBe(401);
    const owner = await createUser();
    const member = await createUser();
    const workspace = await db.workspace.create({
      data: {
        name: 'Left behind',
        members: { create: [{ userId: owner.id, role: 'owner' }, { userId: member.id }] },
      },
    });
    const { id, key } = await keyIn(member.id, workspace.id);
    expect((await getCurrent(apiRequest('/api/workspaces/current', { key }))).status).toBe(200);
    await db.membership.delete({
      where: { workspaceId_userId: { workspaceId: workspace.id, userId: member.id } },
    });
    expect(await json(await getCurrent(apiRequest('/api/workspaces/current', { key })))).toEqual({
      status: 404,
      body: { error: 'Not found' },
    });
    expect((await members(key)).status).toBe(404);
    await revokeApiKey({ workspaceId: workspace.id, userId: member.id, anyKey: false }, id);
    expect((await getCurrent(apiRequest('/api/workspaces/current', { key }))).status).toBe(401);
  });
});

describe('GET /api/workspaces/current/members', () => {
  async function teamOf(size: number) {
    const owner = await createUser();
    const workspace = await db.workspace.create({
      data: { name: 'Paged', members: { create: { userId: owner.id, role: 'owner' } } },
    });
    for (let i = 1; i < size; i += 1) {
      const user = await createUser();
      await db.membership.create({
        data: {
          workspaceId: workspace.id,
          userId: user.id,
          role: i % 3 === 0 ? 'billing' : 'member',
          // Several members joined in the same millisecond: the cursor breaks ties by id.
          createdAt: new Date(Date.UTC(2026, 0, 1 + Math.floor(i / 3))),
        },
      });
    }
    return { owner, workspace, ...(await keyIn(owner.id, workspace.id)) };
  }

  it('pages every member exactly once, oldest first, with selected fields only', async () => {
    const { workspace, key } = await teamOf(8);
    const seen: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body } = await json(await members(key, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`));
      expect(status).toBe(200);
      const data = body.data as Array<Record<string, unknown>>;
      expect(data.length).toBeLessThanOrEqual(3);
      seen.push(...data);
      cursor = body.next_cursor as string | null;
      expect(body.has_more).toBe(cursor !== null);
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    const expected = await db.membership.findMany({
      where: { workspaceId: workspace.id },
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
      select: { userId: true, role: true, createdAt: true, user: { select: { email: true, name: true } } },
    });
    expect(seen).toEqual(
      expected.map((m) => ({
        id: m.userId,
        email: m.user.email,
        name: m.user.name,
        role: m.role,
        joined_at: m.createdAt.toISOString(),
      })),
    );
  });

  it('lists only the key’s workspace: another workspace’s members never appear', async () => {
    const a = await teamOf(3);
    const b = await teamOf(4);
    const listed = ((await json(await members(a.key, '?limit=100'))).body.data as Array<{ id: string }>).map(
      (m) => m.id,
    );
    const inB = await db.membership.findMany({
      where: { workspaceId: b.workspace.id },
      select: { userId: true },
    });
    expect(listed).toHaveLength(3);
    expect(listed.some((id) => inB.some((m) => m.userId === id))).toBe(false);
    // B's cursor in A's list seeks within A only.
    const bPage = (await json(await members(b.key, '?limit=1'))).body;
    const crossed = (await json(await members(a.key, `?cursor=${String(bPage.next_cursor)}`))).body;
    for (const m of crossed.data as Array<{ id: string }>) expect(listed).toContain(m.id);
  });

  it('hostile query strings: a precise 400 for a bad cursor; a wild limit falls back to 1..100', async () => {
    const { key } = await teamOf(2);
    for (const cursor of [
      "1'%20OR%201=1--",
      'abc',
      '1.',
      '.x',
      '99999999999999999.x',
      '1.a%00b',
      '1.' + 'a'.repeat(300),
    ]) {
      const { status, body } = await json(await members(key, `?cursor=${cursor}`));
      expect(status, cursor).toBe(400);
      expect(body.error).toBe('Invalid query.');
    }
    for (const [limit, expected] of [
      ['-5', 1],
      ['0', 2],
      ['abc', 2],
      ['1e9', 1],
      ['100000', 2],
    ] as const) {
      const { status, body } = await json(await members(key, `?limit=${limit}`));
      expect(status, limit).toBe(200);
      expect((body.data as unknown[]).length, limit).toBe(expected);
    }
  });
});
