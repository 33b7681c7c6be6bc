import 'server-only';
import { PrismaAdapter } from '@auth/prisma-adapter';
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { checkCredentials } from '@/lib/auth/sign-in';
import { clientIp } from '@/lib/net/client-ip';
import type { Role } from '@/lib/generated/prisma/enums';

export class RateLimitedSignIn extends CredentialsSignin {
  code = 'rate_limited';
  constructor(public readonly retryAfterSeconds: number) {
    super();
  }
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
        const result = await checkCredentials(raw, clientIp(request.headers));
        if (result.ok) return result.user;
        if (result.reason === 'throttled') throw new RateLimitedSignIn(Math.ceil(result.retryAfterMs / 1000));
        return null;
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
