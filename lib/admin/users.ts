import 'server-only';
import type { ActionState } from '@/lib/action-state';
import { audit } from '@/lib/audit';
import { setRole } from '@/lib/auth/roles';
import type { CurrentUser } from '@/lib/auth/session';
import { reconcileCustomer } from '@/lib/billing/reconcile';
import { db } from '@/lib/db';
import type { Role } from '@/lib/generated/prisma/enums';

/** An admin changes another user's role; the change and its audit entry commit together. */
export async function changeRole(actor: CurrentUser, userId: string, role: Role): Promise<ActionState> {
  if (userId === actor.id) return { ok: false, message: 'You cannot change your own role.' };
  const target = await db.user.findUnique({ where: { id: userId }, select: { id: true, role: true } });
  if (!target) return { ok: false, message: 'No such user.' };
  if (target.role === role) return { ok: true, message: `Already ${target.role}.` };
  // Removing a role also ends the user's sessions (lib/auth/roles.ts).
  await setRole({ userId: target.id, role, actor, via: 'admin' });
  return { ok: true, message: `Role changed from ${target.role} to ${role}.` };
}

/** Re-read a workspace's Stripe customer and fix the mirror; says what changed. */
export async function syncCustomer(actor: CurrentUser, workspaceId: string): Promise<ActionState> {
  const customer = await db.customer.findUnique({
    where: { workspaceId },
    select: { id: true, sample: true },
  });
  if (!customer || customer.sample)
    return { ok: false, message: 'This workspace has no Stripe customer to sync.' };
  const changes = await reconcileCustomer(customer.id);
  await audit({
    actor,
    action: 'customer.synced',
    targetType: 'workspace',
    targetId: workspaceId,
    stripeIds: [customer.id],
    details: { changes },
  });
  return {
    ok: true,
    message: changes.length
      ? `Synced from Stripe: ${changes.join('; ')}.`
      : 'Synced from Stripe: already up to date.',
  };
}
