import 'server-only';
import { z } from 'zod';
import { audit } from '@/lib/audit';
import type { CurrentUser } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { formatCount } from '@/lib/format';
import { Prisma } from '@/lib/generated/prisma/client';
import { postEntry } from './ledger';

export const couponCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{3,32}$/, 'Codes are 3 to 32 letters, digits or dashes.');

export const createCouponSchema = z.object({
  code: couponCodeSchema,
  credits: z.coerce
    .number()
    .int('Credits must be a whole number.')
    .min(1, 'Grant at least 1 credit.')
    .max(1_000_000, 'At most 1,000,000 credits.'),
  maxRedemptions: z.preprocess(
    (v) => (v === '' || v == null ? undefined : v),
    z.coerce.number().int().min(1).max(1_000_000).optional(),
  ),
  expiresAt: z.preprocess((v) => (v === '' || v == null ? undefined : v), z.coerce.date().optional()),
});

export type RedeemResult = { ok: true; credits: number; balance: number } | { ok: false; message: string };

/**
 * Redeem a coupon for a workspace: once per user and once per workspace (two unique
 * constraints: making workspaces does not reopen a coupon, nor do more members), within its
 * total limit and expiry (checked under a row lock), credits posted once per redemption.
 */
export async function redeemCoupon(
  { workspaceId, userId }: { workspaceId: string; userId: string },
  rawCode: string,
): Promise<RedeemResult> {
  const parsed = couponCodeSchema.safeParse(rawCode);
  if (!parsed.success) return { ok: false, message: 'That is not a valid coupon code.' };
  try {
    return await db.$transaction(async (tx) => {
      const [coupon] = await tx.$queryRaw<
        Array<{
          id: string;
          credits: number;
          maxRedemptions: number | null;
          redemptionCount: number;
          expiresAt: Date | null;
        }>
      >`
        SELECT id, credits, "maxRedemptions", "redemptionCount", "expiresAt" FROM "Coupon" WHERE code = ${parsed.data} FOR UPDATE`;
      if (!coupon) return { ok: false as const, message: 'That coupon code does not exist.' };
      if (coupon.expiresAt && coupon.expiresAt.getTime() <= Date.now())
        return { ok: false as const, message: 'That coupon has expired.' };
      if (coupon.maxRedemptions != null && coupon.redemptionCount >= coupon.maxRedemptions)
        return { ok: false as const, message: 'That coupon has been fully redeemed.' };
      // Under the coupon's row lock, so the answer says which rule refused it.
      const earlier = await tx.couponRedemption.findFirst({
        where: { couponId: coupon.id, OR: [{ userId }, { workspaceId }] },
        select: { userId: true },
      });
      if (earlier)
        return {
          ok: false as const,
          message:
            earlier.userId === userId
              ? 'You have already redeemed this coupon.'
              : 'This workspace has already redeemed this coupon.',
        };
      const redemption = await tx.couponRedemption.create({
        data: { couponId: coupon.id, userId, workspaceId },
        select: { id: true },
      });
      await tx.coupon.update({ where: { id: coupon.id }, data: { redemptionCount: { increment: 1 } } });
      const entry = await postEntry(tx, {
        workspaceId,
        kind: 'coupon',
        amount: coupon.credits,
        sourceKey: `coupon:${redemption.id}`,
        memo: `Coupon ${parsed.data}`,
      });
      return { ok: true as const, credits: coupon.credits, balance: entry.balance };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      return { ok: false, message: 'You have already redeemed this coupon.' };
    throw error;
  }
}

/** An admin creates a coupon; the coupon and its audit entry commit together. A taken code is a message. */
export async function createCoupon(
  actor: CurrentUser,
  input: z.output<typeof createCouponSchema>,
): Promise<{ ok: boolean; message: string }> {
  try {
    const coupon = await db.$transaction(async (tx) => {
      const created = await tx.coupon.create({ data: { ...input, createdById: actor.id } });
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
    return { ok: true, message: `Coupon ${coupon.code} created (${formatCount(coupon.credits)} credits).` };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      return { ok: false, message: 'A coupon with this code already exists.' };
    throw error;
  }
}
