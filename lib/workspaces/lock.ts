import 'server-only';
import type { Tx } from '@/lib/db';
import type { WorkspaceRole } from '@/lib/generated/prisma/enums';
import { can, type WorkspaceRight } from '@/lib/workspaces/roles';

/** Why a members action did nothing: a status for the caller to map (404 → notFound) and a safe message. */
export interface Refusal {
  ok: false;
  status: 400 | 403 | 404 | 409 | 429;
  message: string;
}

export type Outcome<T extends object = object> = ({ ok: true } & T) | Refusal;

export const refuse = (status: Refusal['status'], message: string): Refusal => ({
  ok: false,
  status,
  message,
});

/** Ids from forms and URLs: opaque, but short and plain (cuids, `ws_…`). */
export const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

export const NOT_FOUND = 'Not found.';

export interface LockedWorkspace {
  id: string;
  name: string;
  personalOfId: string | null;
}

/**
 * Lock the workspace row for the rest of the transaction. Every change to its members and
 * invitations takes this lock first, so rules about the set of members (the last owner, a
 * token used once, seat counts) are checked against a set no one else is changing.
 */
export async function lockWorkspace(tx: Tx, workspaceId: string): Promise<LockedWorkspace | null> {
  if (!idPattern.test(workspaceId)) return null;
  const rows = await tx.$queryRaw<LockedWorkspace[]>`
    SELECT id, name, "personalOfId" FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`;
  return rows[0] ?? null;
}

export async function roleIn(tx: Tx, workspaceId: string, userId: string): Promise<WorkspaceRole | null> {
  const row = await tx.membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId } },
    select: { role: true },
  });
  return row?.role ?? null;
}

export function ownerCount(tx: Tx, workspaceId: string): Promise<number> {
  return tx.membership.count({ where: { workspaceId, role: 'owner' } });
}

/**
 * Lock the workspace and check the actor's right in it. A workspace the actor is not in, or
 * has not the right in, does not exist for them (404), so ids cannot be probed.
 */
export async function lockAs(
  tx: Tx,
  workspaceId: string,
  actorId: string,
  right: WorkspaceRight,
): Promise<{ workspace: LockedWorkspace; role: WorkspaceRole } | Refusal> {
  const workspace = await lockWorkspace(tx, workspaceId);
  const role = workspace ? await roleIn(tx, workspaceId, actorId) : null;
  if (!workspace || !role || !can(role, right)) return refuse(404, NOT_FOUND);
  return { workspace, role };
}

/** Transactions that wait on a workspace lock behind others (a burst of acceptances) get time to. */
export const LOCKING_TX = { maxWait: 10_000, timeout: 15_000 } as const;
