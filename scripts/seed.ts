// `npm run db:seed`: the demo accounts (admin, finance, user). Idempotent.
import { pathToFileURL } from 'node:url';
import { hashPassword } from '../lib/auth/password';
import { newReferralCode } from '../lib/auth/referral-code';
import { demoAccounts } from './lib/demo-accounts';
import { scriptPrisma } from './lib/prisma';

/** Why the demo accounts (public passwords) must not be created here, or null when they may. */
export function seedRefusal(source: Record<string, string | undefined>): string | null {
  if (source.NODE_ENV === 'production') {
    return 'Refusing to seed demo accounts in a production build (NODE_ENV=production): their passwords are public. Make a first admin with `npm run user:role -- <email> admin` or ADMIN_EMAILS.';
  }
  if (/^(sk|rk)_live_/.test(source.STRIPE_SECRET_KEY ?? '')) {
    return 'Refusing to seed demo accounts next to a live Stripe key: their passwords are public.';
  }
  return null;
}

export async function seed(
  databaseUrl: string,
  source: Record<string, string | undefined> = process.env,
): Promise<string[]> {
  const refusal = seedRefusal(source);
  if (refusal) throw new Error(refusal);
  const prisma = scriptPrisma(databaseUrl);
  const created: string[] = [];
  try {
    for (const account of Object.values(demoAccounts)) {
      const existing = await prisma.user.findUnique({
        where: { email: account.email },
        select: { id: true },
      });
      if (existing) continue;
      await prisma.user.create({
        data: {
          email: account.email,
          name: account.name,
          role: account.role,
          emailVerified: new Date(),
          passwordHash: await hashPassword(account.password),
          referralCode: newReferralCode(),
        },
      });
      created.push(account.email);
    }
  } finally {
    await prisma.$disconnect();
  }
  return created;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set.');
    process.exit(1);
  }
  const refusal = seedRefusal(process.env);
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
  const created = await seed(url);
  console.log(created.length ? `Seeded ${created.join(', ')}` : 'Demo accounts already exist.');
}
