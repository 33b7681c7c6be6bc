'use server';

import { redirect } from 'next/navigation';
import { AuthError } from 'next-auth';
import { z } from 'zod';
import { validatedAction } from '@/lib/action';
import { newPasswordSchema } from '@/lib/auth/account';
import { signIn } from '@/lib/auth/config';
import { acceptBySigningUp, acceptInvitation } from '@/lib/workspaces/accept';
import { chooseWorkspace } from '@/lib/workspaces/switch';

const token = z.string().max(200).default('');

export const acceptInvitationAction = validatedAction(
  { who: 'user', schema: z.object({ token }) },
  async ({ token }, { user }) => {
    const accepted = await acceptInvitation(user, token);
    if (!accepted.ok) return { ok: false, message: accepted.message };
    await chooseWorkspace(user.id, accepted.workspaceId);
    redirect('/dashboard');
  },
);

export const signUpAndAcceptAction = validatedAction(
  {
    who: 'anyone',
    schema: z.object({
      token,
      name: z
        .string()
        .trim()
        .max(100, 'Use at most 100 characters.')
        .optional()
        .transform((v) => v || undefined),
      password: newPasswordSchema,
    }),
    invalid: 'fields',
    echo: ['name'],
  },
  async ({ token, name, password }) => {
    const accepted = await acceptBySigningUp(token, { name, password });
    if (!accepted.ok) return { ok: false, message: accepted.message };
    await chooseWorkspace(accepted.userId, accepted.workspaceId);
    try {
      await signIn('credentials', { email: accepted.email, password, redirectTo: '/dashboard' });
    } catch (error) {
      if (error instanceof AuthError)
        return {
          ok: true,
          message: `Your account is ready and you joined ${accepted.workspaceName}: sign in.`,
        };
      throw error; // the redirect after signing in
    }
    return {};
  },
);
