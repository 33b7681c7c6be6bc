import 'server-only';
import { audit } from '@/lib/audit';
import { db } from '@/lib/db';
import type { WorkspaceRole } from '@/lib/generated/prisma/enums';
import { lockAs, LOCKING_TX, type Outcome } from '@/lib/workspaces/lock';
import { membershipChanged } from '@/lib/workspaces/seats';

/** Who is acting: the signed-in user (CurrentUser fits). */
export interface Actor {
  id: string;
  email: string;
  name?: string | null;
}

export interface WorkspaceSummary {
  id: string;
  name: string;
  personal: boolean;
  role: WorkspaceRole;
}

/** The switcher lists at most this many workspaces (the personal one first, then by name). */
export const SWITCHER_LIMIT = 50;

export async function workspacesOf(userId: string): Promise<WorkspaceSummary[]> {
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, workspace: { select: { id: true, name: true, personalOfId: true } } },
    orderBy: [{ workspace: { name: 'asc' } }, { workspaceId: 'asc' }],
    take: SWITCHER_LIMIT,
  });
  const list = rows.map(({ role, workspace }) => ({
    id: workspace.id,
    name: workspace.name,
    personal: workspace.personalOfId === userId,
    role,
  }));
  return [...list.filter((w) => w.personal), ...list.filter((w) => !w.personal)];
}

/**
 * Create a workspace owned by its creator. The same form key creates it once: a repeat returns
 * the workspace the first submit made.
 */
export async function createWorkspace(
  actor: Actor,
  name: string,
  formKey: string,
): Promise<{ id: string; created: boolean }> {
  const dedupeKey = `workspace.created:${actor.id}:${formKey}`;
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${dedupeKey}, 0))`;
    const earlier = await tx.auditLog.findUnique({ where: { dedupeKey }, select: { targetId: true } });
    if (earlier) return { id: earlier.targetId, created: false };
    const workspace = await tx.workspace.create({
      data: { name, members: { create: { userId: actor.id, role: 'owner' } } },
      select: { id: true },
    });
    await membershipChanged(tx, workspace.id);
    await audit(
      {
        actor,
        action: 'workspace.created',
        targetType: 'workspace',
        targetId: workspace.id,
        details: { name },
        dedupeKey,
      },
      tx,
    );
    return { id: workspace.id, created: true };
  }, LOCKING_TX);
}

/** Rename a workspace (owners and admins). */
export async function renameWorkspace(
  actor: Actor,
  workspaceId: string,
  name: string,
): Promise<Outcome<{ changed: boolean }>> {
  return db.$transaction(async (tx) => {
    const locked = await lockAs(tx, workspaceId, actor.id, 'members');
    if (!('workspace' in locked)) return locked;
    const from = locked.workspace.name;
    if (from === name) return { ok: true, changed: false };
    await tx.workspace.update({ where: { id: workspaceId }, data: { name } });
    await audit(
      {
        actor,
        action: 'workspace.renamed',
        targetType: 'workspace',
        targetId: workspaceId,
        details: { from, to: name },
      },
      tx,
    );
    return { ok: true, changed: true };
  }, LOCKING_TX);
}
