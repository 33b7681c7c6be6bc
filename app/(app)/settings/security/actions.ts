'use server';

import { headers } from 'next/headers';
import type { FormState } from '@/app/(auth)/actions';
import { changePassword, resendVerification } from '@/lib/auth/account';
import { signIn, signOut } from '@/lib/auth/config';
import { endAllSessions } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { clientIp } from '@/lib/net/client-ip';

const PATH = '/settings/security';

/** Every session of this user ends, this one included. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await requireUser(PATH);
  await endAllSessions(user.id);
  await signOut({ redirectTo: '/sign-in' });
}

export async function changePasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser(PATH);
  const next = String(formData.get('password') ?? '');
  const result = await changePassword(user.id, String(formData.get('current') ?? ''), next);
  if (!result.ok) return { fieldErrors: { [result.field]: result.message } };
  // Every other session is over; this one continues with a fresh session at the new version.
  await signIn('credentials', { email: user.email, password: next, redirectTo: `${PATH}?changed=1` });
  return {};
}

export async function resendVerificationAction(_prev: FormState): Promise<FormState> {
  const user = await requireUser(PATH);
  const result = await resendVerification(user.id, clientIp(await headers()));
  return result.ok ? { notice: `We sent a new link to ${user.email}.` } : { error: result.message };
}
