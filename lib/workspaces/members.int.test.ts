// Members and roles (issue #16): who may change roles, remove and leave, and the last owner,
// also when two requests race (the workspace row is locked).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createUser } from '@/lib/testing/fixtures';
import { auditRows, memberOf, roleOf, seatVersion, team } from '@/lib/testing/workspaces';
import {
  changeRole,
  LAST_OWNER,
  LAST_OWNER_LEAVE,
  leaveWorkspace,
  listMembers,
  OWNERS_ONLY,
  PERSONAL_OWNER,
  removeMember,
} from '@/lib/workspaces/members';
import { createWorkspace, renameWorkspace, workspacesOf } from '@/lib/workspaces/service';
import { readCursor } from '@/lib/pagination';

const notFound = { ok: false, status: 404, message: 'Not found.' };
const personalOf = async (userId: string) =>
  (await db.workspace.findUniqueOrThrow({ where: { personalOfId: userId }, select: { id: true } })).id;

describe('creating and renaming a workspace', () => {
  it('makes the creator its owner, audits it once, and one form key creates it once even when raced', async () => {
    const user = await createUser();
    const key = randomUUID();
    const results = await Promise.all([1, 2, 3].map(() => createWorkspace(user, 'Skunkworks', key)));
    const ids = new Set(results.map((r) => r.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [id] = [...ids] as [string];
    expect(await roleOf(id, user.id)).toBe('owner');
    expect(await auditRows('workspace.created', id)).toEqual([
      expect.objectContaining({ actorId: user.id, details: { name: 'Skunkworks' } }),
    ]);
    expect(await seatVersion(id)).toBe(1);
    // The switcher lists it after the personal workspace.
    expect((await workspacesOf(user.id)).map((w) => [w.name, w.personal, w.role])).toEqual([
      ['Test', true, 'owner'],
      ['Skunkworks', false, 'owner'],
    ]);
    // Another form key is another workspace.
    expect((await createWorkspace(user, 'Skunkworks', randomUUID())).id).not.toBe(id);
  });

  it('is renamed by owners and admins only; others and outsiders get a 404 and change nothing', async () => {
    const { owner, workspaceId } = await team();
    const admin = await memberOf(workspaceId, 'admin');
    const billing = await memberOf(workspaceId, 'billing');
    const outsider = (await team('Other')).owner;
    expect(await renameWorkspace(admin, workspaceId, 'Acme Labs')).toEqual({ ok: true, changed: true });
    expect(await renameWorkspace(owner, workspaceId, 'Acme Labs')).toEqual({ ok: true, changed: false });
    expect(await renameWorkspace(billing, workspaceId, 'Hijacked')).toEqual(notFound);
    expect(await renameWorkspace(outsider, workspaceId, 'Hijacked')).toEqual(notFound);
    expect(await renameWorkspace(owner, 'no_such_workspace', 'X')).toEqual(notFound);
    expect((await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).name).toBe('Acme Labs');
    expect(await auditRows('workspace.renamed', workspaceId)).toEqual([
      expect.objectContaining({ actorId: admin.id, details: { from: 'Acme', to: 'Acme Labs' } }),
    ]);
  });
});

describe('changing roles', () => {
  it('lets admins change non-owners, but only owners make or unmake owners', async () => {
    const { owner, workspaceId } = await team();
    const admin = await memberOf(workspaceId, 'admin');
    const member = await memberOf(workspaceId);
    expect(await changeRole(admin, workspaceId, member.id, 'billing')).toEqual({ ok: true, changed: true });
    expect(await changeRole(admin, workspaceId, member.id, 'owner')).toEqual({
      ok: false,
      status: 403,
      message: OWNERS_ONLY,
    });
    expect(await changeRole(admin, workspaceId, owner.id, 'member')).toMatchObject({ status: 403 });
    expect(await roleOf(workspaceId, member.id)).toBe('billing');
    expect(await roleOf(workspaceId, owner.id)).toBe('owner');
    expect(await changeRole(owner, workspaceId, member.id, 'owner')).toEqual({ ok: true, changed: true });
    expect(await roleOf(workspaceId, member.id)).toBe('owner');
    expect(
      (await auditRows('member.role_changed', `${workspaceId}:${member.id}`)).map((r) => r.details),
    ).toEqual([
      { workspaceId, userId: member.id, from: 'member', to: 'billing' },
      { workspaceId, userId: member.id, from: 'billing', to: 'owner' },
    ]);
  });

  it('gives members and billing members no say (404), and changes nothing', async () => {
    const { owner, workspaceId } = await team();
    for (const role of ['member', 'billing'] as const) {
      const actor = await memberOf(workspaceId, role);
      expect(await changeRole(actor, workspaceId, owner.id, 'member')).toEqual(notFound);
      expect(await changeRole(actor, workspaceId, actor.id, 'owner')).toEqual(notFound);
      expect(await roleOf(workspaceId, actor.id)).toBe(role);
    }
  });

  it('never demotes the last owner', async () => {
    const { owner, workspaceId } = await team();
    expect(await changeRole(owner, workspaceId, owner.id, 'admin')).toEqual({
      ok: false,
      status: 409,
      message: LAST_OWNER,
    });
    expect(await roleOf(workspaceId, owner.id)).toBe('owner');
    expect(await auditRows('member.role_changed', `${workspaceId}:${owner.id}`)).toEqual([]);
  });

  it('lets one of two owners demoting each other at the same moment through, never both', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { owner: a, workspaceId } = await team();
      const b = await memberOf(workspaceId, 'owner');
      const results = await Promise.all([
        changeRole(a, workspaceId, b.id, 'member'),
        changeRole(b, workspaceId, a.id, 'member'),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([expect.objectContaining({ ok: false })]);
      const owners = await db.membership.count({ where: { workspaceId, role: 'owner' } });
      expect(owners).toBe(1);
    }
  });

  it('keeps the owner of a personal workspace its owner', async () => {
    const user = await createUser();
    const personal = await personalOf(user.id);
    const coOwner = await memberOf(personal, 'owner');
    expect(await changeRole(coOwner, personal, user.id, 'member')).toEqual({
      ok: false,
      status: 409,
      message: PERSONAL_OWNER,
    });
    expect(await removeMember(coOwner, personal, user.id)).toMatchObject({ ok: false, status: 409 });
    expect(await leaveWorkspace(user, personal)).toEqual({
      ok: false,
      status: 409,
      message: 'You cannot leave your personal workspace.',
    });
    expect(await roleOf(personal, user.id)).toBe('owner');
  });

  it('answers 404 for a member of another workspace or a workspace the actor is not in (IDOR)', async () => {
    const mine = await team('Mine');
    const theirs = await team('Theirs');
    const theirMember = await memberOf(theirs.workspaceId);
    const before = [await seatVersion(mine.workspaceId), await seatVersion(theirs.workspaceId)];
    expect(await changeRole(mine.owner, mine.workspaceId, theirMember.id, 'admin')).toEqual(notFound);
    expect(await changeRole(mine.owner, theirs.workspaceId, theirMember.id, 'admin')).toEqual(notFound);
    expect(await removeMember(mine.owner, mine.workspaceId, theirMember.id)).toEqual(notFound);
    expect(await removeMember(mine.owner, theirs.workspaceId, theirMember.id)).toEqual(notFound);
    expect(await leaveWorkspace(mine.owner, theirs.workspaceId)).toEqual(notFound);
    expect(await changeRole(mine.owner, mine.workspaceId, "x' OR 1=1 --", 'admin')).toEqual(notFound);
    expect(await roleOf(theirs.workspaceId, theirMember.id)).toBe('member');
    expect(await roleOf(theirs.workspaceId, theirs.owner.id)).toBe('owner');
    expect([await seatVersion(mine.workspaceId), await seatVersion(theirs.workspaceId)]).toEqual(before);
  });
});

describe('removing and leaving', () => {
  it('removes a member (audited, seats told in the same transaction); a second remove finds no one', async () => {
    const { workspaceId } = await team();
    const admin = await memberOf(workspaceId, 'admin');
    const member = await memberOf(workspaceId);
    const before = await seatVersion(workspaceId);
    const results = await Promise.all([
      removeMember(admin, workspaceId, member.id),
      removeMember(admin, workspaceId, member.id),
    ]);
    expect(results).toEqual(expect.arrayContaining([{ ok: true }, notFound]));
    expect(await roleOf(workspaceId, member.id)).toBeNull();
    expect(await auditRows('member.removed', `${workspaceId}:${member.id}`)).toEqual([
      expect.objectContaining({
        actorId: admin.id,
        details: { workspaceId, userId: member.id, role: 'member' },
      }),
    ]);
    expect(await seatVersion(workspaceId)).toBe(before + 1);
    expect(await db.membership.count({ where: { workspaceId } })).toBe(2);
  });

  it('lets only owners remove owners, and no one remove themselves (that is leaving)', async () => {
    const { owner, workspaceId } = await team();
    const admin = await memberOf(workspaceId, 'admin');
    const coOwner = await memberOf(workspaceId, 'owner');
    expect(await removeMember(admin, workspaceId, coOwner.id)).toEqual({
      ok: false,
      status: 403,
      message: OWNERS_ONLY,
    });
    expect(await removeMember(admin, workspaceId, admin.id)).toEqual({
      ok: false,
      status: 400,
      message: 'To leave this workspace, use Leave.',
    });
    expect(await removeMember(owner, workspaceId, coOwner.id)).toEqual({ ok: true });
    expect(await roleOf(workspaceId, coOwner.id)).toBeNull();
    expect(await roleOf(workspaceId, admin.id)).toBe('admin');
  });

  it('lets a member leave (audited, seats told), but not the last owner', async () => {
    const { owner, workspaceId } = await team();
    const member = await memberOf(workspaceId, 'billing');
    const before = await seatVersion(workspaceId);
    expect(await leaveWorkspace(member, workspaceId)).toEqual({ ok: true });
    expect(await roleOf(workspaceId, member.id)).toBeNull();
    expect(await auditRows('member.left', `${workspaceId}:${member.id}`)).toEqual([
      expect.objectContaining({ actorId: member.id }),
    ]);
    expect(await seatVersion(workspaceId)).toBe(before + 1);
    expect(await leaveWorkspace(owner, workspaceId)).toEqual({
      ok: false,
      status: 409,
      message: LAST_OWNER_LEAVE,
    });
    expect(await roleOf(workspaceId, owner.id)).toBe('owner');
  });

  it('lets one of two owners leaving at the same moment go, never both', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { owner: a, workspaceId } = await team();
      const b = await memberOf(workspaceId, 'owner');
      const results = await Promise.all([leaveWorkspace(a, workspaceId), leaveWorkspace(b, workspaceId)]);
      expect(results).toEqual(
        expect.arrayContaining([{ ok: true }, { ok: false, status: 409, message: LAST_OWNER_LEAVE }]),
      );
      expect(await db.membership.findMany({ where: { workspaceId }, select: { role: true } })).toEqual([
        { role: 'owner' },
      ]);
    }
  });

  it('does not let a demotion and a leave together strip the last owner', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { owner: a, workspaceId } = await team();
      const b = await memberOf(workspaceId, 'owner');
      await Promise.all([changeRole(a, workspaceId, b.id, 'admin'), leaveWorkspace(a, workspaceId)]);
      expect(await db.membership.count({ where: { workspaceId, role: 'owner' } })).toBe(1);
    }
  });
});

describe('the members list', () => {
  it('pages through members oldest first with a keyset cursor, each once', async () => {
    const { owner, workspaceId } = await team();
    const joined = [owner.id];
    for (let i = 0; i < 6; i += 1) joined.push((await memberOf(workspaceId, i % 2 ? 'admin' : 'member')).id);
    // Two members joining in the same millisecond still come out once each.
    const at = new Date();
    const twins = [await createUser(), await createUser()];
    await db.membership.createMany({
      data: twins.map((u) => ({ workspaceId, userId: u.id, createdAt: at })),
    });
    joined.push(...twins.map((u) => u.id).sort());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const read = readCursor(cursor);
      if (!read.ok) throw new Error(read.message);
      const page = await listMembers(workspaceId, read.cursor, 3);
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(joined);
    const first = await listMembers(workspaceId, null, 1);
    expect(first.data[0]).toMatchObject({ id: owner.id, email: owner.email, role: 'owner' });
  });
});
