'use server';

import { revalidatePath } from 'next/cache';
import { notFound, redirect } from 'next/navigation';
import { z } from 'zod';
import { validatedAction, type ActionState } from '@/lib/action';
import { disconnectStripe } from '@/lib/billing/connect/disconnect';
import { connectWithKey, restrictedKeySchema } from '@/lib/billing/connect/key';
import { ACCOUNT_TYPES, isOnboardingUrl, startOnboarding } from '@/lib/billing/connect/onboard';
import { toBillingError } from '@/lib/billing/stripe';
import type { Outcome } from '@/lib/workspaces/lock';

// A workspace's own Stripe account (Settings → Stripe). Each form names the workspace it was
// rendered for; the billing right there is checked by the wrapper and again under the lock.
const workspaceId = z.string().max(100).default('');
const options = { who: 'user', callbackUrl: '/workspace/stripe', workspace: 'billing' } as const;

function answer(outcome: Outcome, success: string): ActionState {
  if (!outcome.ok) {
    if (outcome.status === 404) notFound();
    return { ok: false, message: outcome.message };
  }
  revalidatePath('/', 'layout');
  return { ok: true, message: success };
}

/** Stripe's own failures become a BillingError (a safe message); ours propagate. */
async function upstream<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toBillingError(error);
  }
}

export const connectKeyAction = validatedAction(
  { ...options, schema: z.object({ workspaceId, key: restrictedKeySchema }), invalid: 'fields' },
  async ({ workspaceId, key }, { user }) => {
    const outcome = await upstream(() => connectWithKey(user, workspaceId, key));
    return answer(
      outcome,
      'Stripe connected. The key is stored encrypted; events arrive at this workspace’s URL.',
    );
  },
);

export const startConnectAction = validatedAction(
  { ...options, schema: z.object({ workspaceId, type: z.enum(ACCOUNT_TYPES).default('standard') }) },
  async ({ workspaceId, type }, { user }) => {
    const outcome = await upstream(() => startOnboarding(user, workspaceId, type));
    if (!outcome.ok) return answer(outcome, '');
    // Only Stripe's own onboarding page (or the local emulator's) is a place we send members to.
    if (!isOnboardingUrl(outcome.url)) throw new Error(`unexpected onboarding URL origin: ${outcome.url}`);
    redirect(outcome.url);
  },
);

export const disconnectStripeAction = validatedAction(
  { ...options, schema: z.object({ workspaceId }) },
  async ({ workspaceId }, { user }) => {
    const outcome = await disconnectStripe(user, workspaceId);
    return answer(outcome, 'Stripe disconnected.');
  },
);
