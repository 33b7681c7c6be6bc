import 'server-only';
import { PrismaAdapter } from '@auth/prisma-adapter';
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { burnPasswordCheck, verifyPassword } from '@/lib/auth/password';
import { clearHits, isLimited, recordHit, SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_IP } from '@/lib/rate-limit';
import type { Role } from '@/lib/generated/prisma/enums';

export class RateLimitedSignIn extends CredentialsSignin {
  code = 'rate_limited';
}

const credentialsSchema = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  password: z.string().min(1).max(200),
});

export function clientIp(request: Request | undefined): string {
  const forwarded = request?.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || request?.headers.get('x-real-ip') || 'unknown';
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  adapter: PrismaAdapter(db),
  secret: env().AUTH_SECRET,
  trustHost: true,
  // Credentials sign-in requires JWT sessions; roles are re-read from the
  // database wherever they grant access (see lib/auth/session.ts).
  session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: '/sign-in' },
  logger: {
    // A wrong password is an expected outcome, not a server error: log it as one line without a stack.
    error(error) {
      if (error.name === 'CredentialsSignin' || error.name === 'RateLimitedSignIn') return;
      console.error(
        JSON.stringify({ level: 'error', msg: 'auth.error', name: error.name, error: error.message }),
      );
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const ip = clientIp(request);
        if ((await isLimited(SIGN_IN_PER_ACCOUNT, email)) || (await isLimited(SIGN_IN_PER_IP, ip))) {
          throw new RateLimitedSignIn();
        }
        const user = await db.user.findUnique({
          where: { email },
          select: { id: true, email: true, name: true, passwordHash: true },
        });
        const valid = user?.passwordHash
          ? await verifyPassword(user.passwordHash, password)
          : (await burnPasswordCheck(password), false);
        if (!user || !valid) {
          await recordHit(SIGN_IN_PER_ACCOUNT, email);
          await recordHit(SIGN_IN_PER_IP, ip);
          return null;
        }
        await clearHits(SIGN_IN_PER_ACCOUNT, email);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    async session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
}));

export type { Role };
