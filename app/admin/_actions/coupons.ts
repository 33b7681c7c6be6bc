'use server';

import { revalidatePath } from 'next/cache';
import { audit } from '@/lib/audit';
import { requireRole } from '@/lib/auth/session';
import { createCouponSchema } from '@/lib/billing/credits/coupons';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import type { AdminActionState } from './users';

export async function createCouponAction(
  _prev: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  const actor = await requireRole(['admin'], '/admin/coupons');
  const parsed = createCouponSchema.safeParse(Object.fromEntries(formData.entries()));
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'Check the form.' };
  try {
    const coupon = await db.$transaction(async (tx) => {
      const created = await tx.coupon.create({ data: { ...parsed.data, createdById: actor.id } });
      await audit(
        {
          actor,
          action: 'coupon.created',
          targetType: 'coupon',
          targetId: created.id,
          amount: created.credits,
          details: {
            code: created.code,
            maxRedemptions: created.maxRedemptions,
            expiresAt: created.expiresAt?.toISOString() ?? null,
          },
        },
        tx,
      );
      return created;
    });
    revalidatePath('/admin/coupons');
    return { ok: true, message: `Coupon ${coupon.code} created (${coupon.credits} credits).` };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      return { ok: false, message: 'A coupon with this code already exists.' };
    throw error;
  }
}
