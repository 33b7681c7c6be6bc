import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { auth } from '@/lib/auth/config';
import { db } from '@/lib/db';
import type { Role } from '@/lib/generated/prisma/enums';

export interface CurrentUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

/**
 * The signed-in user, read fresh from the database (so a role change applies
 * at once), or null. A session issued before the user's session version was
 * last bumped (sign-out everywhere, password change, role removal) is over.
 */
export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, sessionVersion: true },
  });
  if (!user || user.sessionVersion !== session.sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
});

/** For pages and actions that need a signed-in user: anonymous visitors go to sign-in. */
export async function requireUser(callbackUrl?: string): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect(callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : '/sign-in');
  return user;
}

/** Staff-only areas: anonymous visitors go to sign-in, everyone else without the role sees a 404. */
export async function requireRole(roles: readonly Role[], callbackUrl?: string): Promise<CurrentUser> {
  const user = await requireUser(callbackUrl);
  if (!roles.includes(user.role)) notFound();
  return user;
}
