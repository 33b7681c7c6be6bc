import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createUser } from '@/lib/testing/fixtures';

describe('personal workspaces', () => {
  it('are made with every user, who owns theirs', async () => {
    const user = await createUser();
    const workspace = await db.workspace.findUniqueOrThrow({
      where: { personalOfId: user.id },
      select: { id: true, name: true, members: { select: { userId: true, role: true } } },
    });
    expect(workspace.name).toBe('Test');
    expect(workspace.members).toEqual([{ userId: user.id, role: 'owner' }]);
  });

  it('own billing rows, which cannot be written without a workspace (the bridge is gone)', async () => {
    const user = await createUser();
    await expect(
      db.$executeRaw`INSERT INTO "Customer" (id, "lastEventAt", "updatedAt") VALUES (${`cus_nows_${user.id}`}, now(), now())`,
    ).rejects.toThrow();
    const customer = await db.customer.create({
      data: { id: `cus_ws_${user.id}`, workspaceId: user.workspaceId, lastEventAt: new Date() },
      select: { workspace: { select: { personalOfId: true } } },
    });
    expect(customer.workspace.personalOfId).toBe(user.id);
  });

  it('go when their user is deleted, with the billing rows they own', async () => {
    const user = await createUser();
    await db.customer.create({
      data: { id: `cus_gone_${user.id}`, workspaceId: user.workspaceId, lastEventAt: new Date() },
    });
    await db.user.delete({ where: { id: user.id } });
    expect(await db.workspace.count({ where: { personalOfId: user.id } })).toBe(0);
    expect(await db.customer.count({ where: { id: `cus_gone_${user.id}` } })).toBe(0);
  });
});
