// `npm run db:seed`: the demo accounts (admin, finance, user). Idempotent.
import { pathToFileURL } from 'node:url';
import { hashPassword } from '../lib/auth/password';
import { newReferralCode } from '../lib/auth/referral-code';
import { demoAccounts } from './lib/demo-accounts';
import { scriptPrisma } from './lib/prisma';

export async function seed(databaseUrl: string): Promise<string[]> {
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
          passwordHash: await hashPassword(account.password),
          referralCode: newReferralCode(),
          // Demo accounts count as verified (referral bonuses need a verified email on both sides).
          emailVerified: new Date(),
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
  const created = await seed(url);
  console.log(created.length ? `Seeded ${created.join(', ')}` : 'Demo accounts already exist.');
}
