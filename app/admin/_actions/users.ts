'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { audit } from '@/lib/audit';
import { setRole } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { reconcileCustomer } from '@/lib/billing/reconcile';
import { BillingError } from '@/lib/billing/stripe';
import { db } from '@/lib/db';

export interface AdminActionState {
  ok?: boolean;
  message?: string;
}

const roleSchema = z.object({ userId: z.string().min(1), role: z.enum(['user', 'finance', 'admin']) });

/** Admins only: finance staff can refund but cannot change roles. */
export async function changeRoleAction(
  _prev: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  const actor = await requireRole(['admin'], '/admin/users');
  const parsed = roleSchema.safeParse({ userId: formData.get('userId'), role: formData.get('role') });
  if (!parsed.success) return { ok: false, message: 'Choose a valid role.' };
  if (parsed.data.userId === actor.id) return { ok: false, message: 'You cannot change your own role.' };
  const target = await db.user.findUnique({
    where: { id: parsed.data.userId },
    select: { id: true, role: true },
  });
  if (!target) return { ok: false, message: 'No such user.' };
  if (target.role === parsed.data.role) return { ok: true, message: `Already ${target.role}.` };
  // Removing a role also ends the user's sessions (lib/auth/roles.ts).
  await setRole({ userId: target.id, role: parsed.data.role, actor, via: 'admin' });
  revalidatePath(`/admin/users/${target.id}`);
  return { ok: true, message: `Role changed from ${target.role} to ${parsed.data.role}.` };
}

export async function syncCustomerAction(
  _prev: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  const actor = await requireRole(['admin', 'finance'], '/admin/users');
  const userId = String(formData.get('userId') ?? '');
  const customer = await db.customer.findUnique({ where: { userId }, select: { id: true, sample: true } });
  if (!customer || customer.sample)
    return { ok: false, message: 'This user has no Stripe customer to sync.' };
  try {
    const changes = await reconcileCustomer(customer.id);
    await audit({
      actor,
      action: 'customer.synced',
      targetType: 'user',
      targetId: userId,
      stripeIds: [customer.id],
      details: { changes },
    });
    revalidatePath(`/admin/users/${userId}`);
    return {
      ok: true,
      message: changes.length
        ? `Synced from Stripe: ${changes.join('; ')}.`
        : 'Synced from Stripe: already up to date.',
    };
  } catch (error) {
    return {
      ok: false,
      message:
        error instanceof BillingError ? error.publicMessage : 'Stripe could not be reached. Try again.',
    };
  }
}
