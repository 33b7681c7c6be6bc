import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { readCursor } from '@/lib/pagination';
import { createUser } from '@/lib/testing/fixtures';
import { teamSubscriber } from '@/lib/testing/seats';
import { listWorkspaces, workspaceDetail, workspacesOfUser } from './workspaces';

describe('back office: workspaces', () => {
  it('lists a team with its plan, seats and MRR (price × seats), and finds it by name', async () => {
    const team = await teamSubscriber(3);
    const name = `Zephyr ${team.workspace.id.slice(-8)}`;
    await db.workspace.update({ where: { id: team.workspace.id }, data: { name } });
    const page = await listWorkspaces(name.slice(0, 12).toUpperCase(), null);
    const row = page.data.find((w) => w.id === team.workspace.id);
    expect(row).toMatchObject({
      name,
      members: 3,
      mrr: 3 * 1_200,
      personalOfId: null,
      subscription: { planKey: 'team', status: 'active', quantity: 3 },
    });
    expect((await listWorkspaces('Ze', null)).data).toEqual([]); // shorter than a trigram
    expect((await listWorkspaces('no such workspace name', null)).data).toEqual([]);
  });

  it('pages newest first by keyset, every workspace once', async () => {
    for (let i = 0; i < 50; i += 1) await createUser(); // each brings a personal workspace
    const seen = new Set<string>();
    let cursor: string | null = null;
    let last = Infinity;
    for (let pages = 0; pages < 2; pages += 1) {
      const read = readCursor(cursor);
      const page = await listWorkspaces(undefined, read.ok ? read.cursor : null);
      for (const w of page.data) {
        expect(seen.has(w.id)).toBe(false);
        expect(w.createdAt.getTime()).toBeLessThanOrEqual(last);
        last = w.createdAt.getTime();
        seen.add(w.id);
      }
      cursor = page.nextCursor;
    }
    expect(seen.size).toBe(50);
  });

  it('shows a workspace’s members, subscription and payments, and each user’s workspaces and roles', async () => {
    const team = await teamSubscriber(2);
    const detail = await workspaceDetail(team.workspace.id);
    expect(detail).toMatchObject({ memberCount: 2, mrr: 2 * 1_200 });
    expect(detail!.members.map((m) => m.role)).toEqual(['owner', 'member']);
    expect(detail!.subscriptions).toEqual([
      expect.objectContaining({ id: team.subscription.id, quantity: 2, planKey: 'team' }),
    ]);
    expect(await workspaceDetail('ws_missing')).toBeNull();

    const mine = await workspacesOfUser(team.owner.id);
    expect(mine.map((w) => [w.personal, w.role])).toEqual([
      [true, 'owner'],
      [false, 'owner'],
    ]);
    expect(mine.find((w) => !w.personal)).toMatchObject({ id: team.workspace.id, members: 2 });
  });

  it('searches names through the trigram index and pages through (createdAt, id)', async () => {
    const plans = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      const explain = (sql: string) =>
        tx
          .$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN ${sql}`)
          .then((rows) => rows.map((r) => r['QUERY PLAN']).join('\n'));
      return {
        search: await explain(`SELECT id FROM "Workspace" WHERE name ILIKE '%zephyr%' LIMIT 26`),
        page: await explain(
          `SELECT id FROM "Workspace" WHERE "createdAt" <= now() ORDER BY "createdAt" DESC, id DESC LIMIT 26`,
        ),
      };
    });
    expect(plans.search).toContain('Workspace_name_trgm_idx');
    expect(plans.page).not.toContain('Seq Scan');
  });
});
