'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { validatedAction } from '@/lib/action';
import { changeRole, syncCustomer } from '@/lib/admin/users';

/** Admins only: finance staff can refund but cannot change roles. */
export const changeRoleAction = validatedAction(
  {
    who: ['admin'],
    callbackUrl: '/admin/users',
    schema: z.object({ userId: z.string().min(1), role: z.enum(['user', 'finance', 'admin']) }),
    invalid: 'Choose a valid role.',
  },
  async ({ userId, role }, { user }) => {
    const state = await changeRole(user, userId, role);
    if (state.ok) revalidatePath(`/admin/users/${userId}`);
    return state;
  },
);

export const syncCustomerAction = validatedAction(
  {
    who: ['admin', 'finance'],
    callbackUrl: '/admin/users',
    schema: z.object({ workspaceId: z.string().default(''), userId: z.string().default('') }),
    failure: 'Stripe could not be reached. Try again.',
  },
  async ({ workspaceId, userId }, { user }) => {
    const state = await syncCustomer(user, workspaceId);
    if (state.ok && userId) revalidatePath(`/admin/users/${userId}`);
    return state;
  },
);
