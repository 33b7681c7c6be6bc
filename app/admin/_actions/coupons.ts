'use server';

import { revalidatePath } from 'next/cache';
import { validatedAction } from '@/lib/action';
import { createCoupon, createCouponSchema } from '@/lib/billing/credits/coupons';

export const createCouponAction = validatedAction(
  { who: ['admin'], callbackUrl: '/admin/coupons', schema: createCouponSchema },
  async (input, { user }) => {
    const state = await createCoupon(user, input);
    if (state.ok) revalidatePath('/admin/coupons');
    return state;
  },
);
