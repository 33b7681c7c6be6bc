import 'server-only';
import { z } from 'zod';
import { audit } from '@/lib/audit';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import type { Role } from '@/lib/generated/prisma/enums';

const rank: Record<Role, number> = { user: 0, finance: 1, admin: 2 };

export type RoleChange = { changed: false; role: Role } | { changed: true; from: Role; to: Role };

/**
 * Give a user a role, audited. Taking rights away also ends every session the
 * user has, so the change holds from their very next request.
 */
export async function setRole(input: {
  userId: string;
  role: Role;
  actor: { id: string; email: string } | null;
  via: 'admin' | 'cli' | 'ADMIN_EMAILS';
}): Promise<RoleChange> {
  return db.$transaction(async (tx) => {
    const [target] = await tx.$queryRaw<Array<{ role: Role }>>`
      SELECT role FROM "User" WHERE id = ${input.userId} FOR UPDATE`;
    if (!target) throw new Error(`No user ${input.userId}`);
    if (target.role === input.role) return { changed: false, role: target.role };
    const demoted = rank[input.role] < rank[target.role];
    await tx.user.update({
      where: { id: input.userId },
      data: { role: input.role, ...(demoted ? { sessionVersion: { increment: 1 } } : {}) },
    });
    await audit(
      {
        actor: input.actor,
        action: 'role.changed',
        targetType: 'user',
        targetId: input.userId,
        details: { from: target.role, to: input.role, via: input.via },
      },
      tx,
    );
    return { changed: true, from: target.role, to: input.role };
  });
}

/** Sign-out everywhere: every session issued before now stops working at its next request. */
export async function endAllSessions(userId: string): Promise<number> {
  const user = await db.user.update({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return user.sessionVersion;
}

/** ADMIN_EMAILS: a listed address, once verified, is made admin when it signs in. */
export async function promoteListedAdmin(
  userId: string,
  listed: readonly string[] = env().ADMIN_EMAILS ?? [],
): Promise<boolean> {
  if (listed.length === 0) return false;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, emailVerified: true, role: true },
  });
  if (!user || user.role === 'admin' || !user.emailVerified || !listed.includes(user.email.toLowerCase())) {
    return false;
  }
  const result = await setRole({ userId, role: 'admin', actor: null, via: 'ADMIN_EMAILS' });
  return result.changed;
}

export const roleSchema = z.enum(['user', 'finance', 'admin']);

/** `npm run user:role -- <email> <role>`: for the first admin, and for staff changes from a shell. */
export async function setRoleByEmail(email: string, role: Role): Promise<RoleChange | null> {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true },
  });
  if (!user) return null;
  return setRole({ userId: user.id, role, actor: null, via: 'cli' });
}
