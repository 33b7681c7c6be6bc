import 'server-only';
import { hashKey } from '@/lib/api/keys';
import type { CurrentUser } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { currentWorkspace, membershipOf, type CurrentWorkspace } from '@/lib/workspaces/current';

/**
 * The workspace a REST call acts for. An API key acts for the workspace it was made in, and only
 * while its owner is still a member there; a session call acts for the current workspace (the
 * switcher's cookie, checked against the membership).
 */
export async function apiWorkspace(request: Request, user: CurrentUser): Promise<CurrentWorkspace | null> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!bearer) return currentWorkspace(user);
  const key = await db.apiKey.findUnique({ where: { hash: hashKey(bearer) }, select: { workspaceId: true } });
  return key?.workspaceId ? membershipOf(user.id, key.workspaceId) : null;
}
