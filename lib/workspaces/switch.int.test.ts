// The switcher sets the current-workspace cookie only after checking the membership, and the
// cookie stops counting once the membership is gone.
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createUser } from '@/lib/testing/fixtures';
import { memberOf, team } from '@/lib/testing/workspaces';
import { currentWorkspace, WORKSPACE_COOKIE } from '@/lib/workspaces/current';
import { leaveWorkspace } from '@/lib/workspaces/members';
import { createWorkspace } from '@/lib/workspaces/service';
import { chooseWorkspace, forgetWorkspace } from '@/lib/workspaces/switch';

// The request's cookie jar (next/headers needs a request; this is the browser's side of it).
const jar = vi.hoisted(() => new Map<string, { value: string; options: object }>());
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)!.value } : undefined),
    set: (name: string, value: string, options: object) => jar.set(name, { value, options }),
    delete: (name: string) => jar.delete(name),
  }),
}));

beforeEach(() => jar.clear());

const asUser = (user: { id: string; email: string; name: string | null }) => ({
  ...user,
  role: 'user' as const,
});

describe('switching workspace', () => {
  it('sets an http-only cookie for a workspace the user is in, and the app then acts for it', async () => {
    const user = await createUser();
    const { id } = await createWorkspace(user, 'Side project', randomUUID());
    expect((await currentWorkspace(asUser(user))).personal).toBe(true);
    expect(await chooseWorkspace(user.id, id)).toBe(true);
    expect(jar.get(WORKSPACE_COOKIE)).toEqual({
      value: id,
      options: expect.objectContaining({ httpOnly: true, sameSite: 'lax', path: '/' }),
    });
    expect(await currentWorkspace(asUser(user))).toEqual({
      id,
      name: 'Side project',
      personal: false,
      role: 'owner',
    });
  });

  it('refuses a workspace the user is not in, or a made-up id, and leaves the cookie alone', async () => {
    const user = await createUser();
    const other = await team('Not yours');
    for (const id of [other.workspaceId, 'ws_nope', '', "x'; DROP TABLE", 'a'.repeat(500)]) {
      expect(await chooseWorkspace(user.id, id)).toBe(false);
    }
    expect(jar.has(WORKSPACE_COOKIE)).toBe(false);
    // A cookie set by hand to someone else's workspace counts for nothing.
    jar.set(WORKSPACE_COOKIE, { value: other.workspaceId, options: {} });
    expect((await currentWorkspace(asUser(user))).personal).toBe(true);
  });

  it('falls back to the personal workspace after the user leaves the chosen one', async () => {
    const { workspaceId } = await team();
    const member = await memberOf(workspaceId, 'member');
    expect(await chooseWorkspace(member.id, workspaceId)).toBe(true);
    expect((await currentWorkspace(asUser(member))).id).toBe(workspaceId);
    expect(await leaveWorkspace(member, workspaceId)).toEqual({ ok: true });
    expect((await currentWorkspace(asUser(member))).personal).toBe(true);
    // Leaving also drops the cookie, but only when it names the workspace left.
    await forgetWorkspace('ws_another');
    expect(jar.get(WORKSPACE_COOKIE)?.value).toBe(workspaceId);
    await forgetWorkspace(workspaceId);
    expect(jar.has(WORKSPACE_COOKIE)).toBe(false);
  });
});
