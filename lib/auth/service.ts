import 'server-only';
import { z } from 'zod';
import { db } from '@/lib/db';
import { hashPassword } from '@/lib/auth/password';
import { newReferralCode } from '@/lib/auth/referral-code';
import { issueToken } from '@/lib/auth/tokens';
import { accountExistsEmail, verifyEmailEmail } from '@/lib/email/account-templates';
import { queueEmail } from '@/lib/email/outbox';
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

/** Sign-up answers the same whether or not the email is taken: the mailbox owner learns the difference. */
export type RegisterResult = { ok: true };

export async function registerUser(input: SignUpInput): Promise<RegisterResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    const referrer = input.ref
      ? await db.user.findUnique({ where: { referralCode: input.ref }, select: { id: true } })
      : null;
    await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          email: input.email,
          name: input.name ?? null,
          passwordHash,
          referralCode: newReferralCode(),
          ...(referrer ? { referredBy: { create: { referrerId: referrer.id } } } : {}),
        },
        select: { id: true },
      });
      const token = await issueToken(tx, 'verify', user.id);
      await queueEmail(tx, {
        dedupeKey: `verify:${user.id}:${token.slice(0, 12)}`,
        to: input.email,
        ...verifyEmailEmail(token),
      });
    });
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
    // Taken: tell the owner instead, at most once an hour.
    const hour = new Date().toISOString().slice(0, 13);
    await db.$transaction((tx) =>
      queueEmail(tx, {
        dedupeKey: `account-exists:${input.email}:${hour}`,
        to: input.email,
        ...accountExistsEmail(),
      }),
    );
  }
  return { ok: true };
}

/** The code a user shares in sign-up links (?ref=CODE). */
export async function referralCodeOf(userId: string): Promise<string> {
  return (await db.user.findUniqueOrThrow({ where: { id: userId }, select: { referralCode: true } }))
    .referralCode;
}
