import 'server-only';
import { z } from 'zod';
import { db } from '@/lib/db';
import { hashPassword } from '@/lib/auth/password';
import { newReferralCode } from '@/lib/auth/referral-code';
import { Prisma } from '@/lib/generated/prisma/client';

export const signUpSchema = z.object({
  name: z
    .string()
    .trim()
    .max(100, 'Use at most 100 characters.')
    .optional()
    .transform((v) => v || undefined),
  email: z
    .email('Enter a valid email address.')
    .max(254)
    .transform((e) => e.trim().toLowerCase()),
  password: z.string().min(10, 'Use at least 10 characters.').max(200, 'Use at most 200 characters.'),
  // A referral code from a sign-up link (?ref=CODE); an unknown code is ignored.
  ref: z
    .string()
    .trim()
    .toUpperCase()
    .max(32)
    .optional()
    .transform((v) => v || undefined),
});

export type SignUpInput = z.infer<typeof signUpSchema>;

export type RegisterResult = { ok: true; userId: string } | { ok: false; field: 'email'; message: string };

export async function registerUser(input: SignUpInput): Promise<RegisterResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    const referrer = input.ref
      ? await db.user.findUnique({ where: { referralCode: input.ref }, select: { id: true } })
      : null;
    const user = await db.user.create({
      data: {
        email: input.email,
        name: input.name ?? null,
        passwordHash,
        referralCode: newReferralCode(),
        ...(referrer ? { referredBy: { create: { referrerId: referrer.id } } } : {}),
      },
      select: { id: true },
    });
    return { ok: true, userId: user.id };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      return {
        ok: false,
        field: 'email',
        message: 'An account with this email already exists. Sign in instead.',
      };
    }
    throw error;
  }
}

/** The code a user shares in sign-up links (?ref=CODE). */
export async function referralCodeOf(userId: string): Promise<string> {
  return (await db.user.findUniqueOrThrow({ where: { id: userId }, select: { referralCode: true } }))
    .referralCode;
}
