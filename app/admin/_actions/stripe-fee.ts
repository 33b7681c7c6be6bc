'use server';

import { revalidatePath } from 'next/cache';
import { validatedAction } from '@/lib/action';
import { FEE_ROLES, feeSchema, setApplicationFee } from '@/lib/billing/connect/fee';

export const setApplicationFeeAction = validatedAction(
  { who: FEE_ROLES, callbackUrl: '/admin/workspaces', schema: feeSchema },
  async (input, { user }) => {
    const state = await setApplicationFee(user, input);
    if (state.ok) revalidatePath(`/admin/workspaces/${input.workspaceId}`);
    return state;
  },
);
