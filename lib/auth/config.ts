import 'server-only';
import { PrismaAdapter } from '@auth/prisma-adapter';
import NextAuth, { CredentialsSignin } from 'next-auth';
import type { Provider } from 'next-auth/providers';
import Credentials from 'next-auth/providers/credentials';
import GitHub from 'next-auth/providers/github';
import Google from 'next-auth/providers/google';
import { newReferralCode } from '@/lib/auth/referral-code';
import { promoteListedAdmin } from '@/lib/auth/roles';
import { checkCredentials } from '@/lib/auth/sign-in';
import { db } from '@/lib/db';
import { env, type Env } from '@/lib/env';
import { clientIp } from '@/lib/net/client-ip';
import type { Role } from '@/lib/generated/prisma/enums';

declare module 'next-auth' {
  interface Session {
    /** The user's session version when this session was issued (lib/auth/session.ts compares it). */
    sessionVersion: number;
  }
}

export class RateLimitedSignIn extends CredentialsSignin {
  code = 'rate_limited';
  constructor(public readonly retryAfterSeconds: number) {
    super();
  }
}

function providers(config: Env): Provider[] {
  const list: Provider[] = [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const result = await checkCredentials(raw, clientIp(request.headers));
        if (result.ok) return result.user;
        if (result.reason === 'throttled') throw new RateLimitedSignIn(Math.ceil(result.retryAfterMs / 1000));
        return null;
      },
    }),
  ];
  if (config.AUTH_GITHUB_ID && config.AUTH_GITHUB_SECRET) {
    list.push(GitHub({ clientId: config.AUTH_GITHUB_ID, clientSecret: config.AUTH_GITHUB_SECRET }));
  }
  if (config.AUTH_GOOGLE_ID && config.AUTH_GOOGLE_SECRET) {
    list.push(Google({ clientId: config.AUTH_GOOGLE_ID, clientSecret: config.AUTH_GOOGLE_SECRET }));
  }
  return list;
}

const adapter = PrismaAdapter(db);

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  adapter: {
    ...adapter,
    // Users created by an OAuth sign-in need a referral code like everyone else.
    createUser: ({ id: _id, ...data }) =>
      db.user.create({
        data: {
          email: data.email.toLowerCase(),
          name: data.name ?? null,
          image: data.image ?? null,
          emailVerified: data.emailVerified ?? null,
          referralCode: newReferralCode(),
        },
      }),
  },
  secret: env().AUTH_SECRET,
  trustHost: true,
  // Credentials sign-in requires JWT sessions; each carries the user's session
  // version, and roles are re-read from the database (lib/auth/session.ts).
  session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: '/sign-in', error: '/sign-in' },
  logger: {
    // A wrong password is an expected outcome, not a server error: log it as one line without a stack.
    error(error) {
      if (error.name === 'CredentialsSignin' || error.name === 'RateLimitedSignIn') return;
      console.error(
        JSON.stringify({ level: 'error', msg: 'auth.error', name: error.name, error: error.message }),
      );
    },
  },
  providers: providers(env()),
  callbacks: {
    async jwt({ token, user, account, profile }) {
      if (user?.id) {
        token.sub = user.id;
        // Google vouches for the address when it says so; other providers' users verify by link.
        if (account?.provider === 'google' && profile?.email_verified === true) {
          await db.user.updateMany({
            where: { id: user.id, emailVerified: null },
            data: { emailVerified: new Date() },
          });
        }
        await promoteListedAdmin(user.id);
        const row = await db.user.findUnique({ where: { id: user.id }, select: { sessionVersion: true } });
        token.sv = row?.sessionVersion ?? 0;
      }
      return token;
    },
    async session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      // Sessions issued before versions existed count as version 0.
      session.sessionVersion = typeof token.sv === 'number' ? token.sv : 0;
      return session;
    },
  },
}));

export type { Role };
