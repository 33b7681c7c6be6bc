// Settings → Stripe as the browser posts it: only the billing right in the form's workspace may
// connect or disconnect (others get a 404 and nothing changes); a bad key gets a precise message.
import { describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { type ActionState, submitForm } from '@/lib/testing/actions';
import { addMember, createUser, createWorkspace } from '@/lib/testing/fixtures';
import { connectKeyAction, disconnectStripeAction, startConnectAction } from './actions';

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock('@/lib/auth/config', () => ({
  auth: async () => (session.userId ? { user: { id: session.userId }, sessionVersion: 0 } : null),
}));
// Outside a Next.js request there is no page cache to revalidate.
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: () => undefined, set: () => {}, delete: () => {} }),
}));

type Outcome = { status: 404 } | { redirect: string } | { ok?: boolean; message?: string; key?: string };

async function post(
  userId: string,
  action: (prev: object, form: FormData) => Promise<ActionState>,
  fields: Record<string, string>,
): Promise<Outcome> {
  session.userId = userId;
  const outcome = await submitForm(action, fields);
  return 'status' in outcome || 'redirect' in outcome
    ? outcome
    : { ok: outcome.ok, message: outcome.message, key: outcome.fieldErrors?.key };
}

async function restrictedKey(): Promise<string> {
  const response = await fetch(`${process.env.STRIPE_API_URL}/_emulator/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return ((await response.json()) as { restricted_key: string }).restricted_key;
}

describe('Settings → Stripe actions', () => {
  it('members without the billing right, and other workspaces’ ids, get a 404 and change nothing', async () => {
    const owner = await createUser();
    const admin = await createUser();
    const member = await createUser();
    const outsider = await createUser();
    const { id: workspaceId } = await createWorkspace([[owner.id, 'owner']]);
    await addMember(workspaceId, admin.id, 'admin');
    await addMember(workspaceId, member.id, 'member');
    const key = await restrictedKey();
    for (const userId of [admin.id, member.id, outsider.id]) {
      expect(await post(userId, connectKeyAction, { workspaceId, key })).toEqual({ status: 404 });
      expect(await post(userId, startConnectAction, { workspaceId, type: 'standard' })).toEqual({
        status: 404,
      });
      expect(await post(userId, disconnectStripeAction, { workspaceId })).toEqual({ status: 404 });
    }
    expect(await db.stripeConnection.count({ where: { workspaceId } })).toBe(0);

    // The owner connects; the others still cannot disconnect it.
    expect(await post(owner.id, connectKeyAction, { workspaceId, key })).toMatchObject({ ok: true });
    for (const userId of [admin.id, member.id, outsider.id])
      expect(await post(userId, disconnectStripeAction, { workspaceId })).toEqual({ status: 404 });
    expect(await db.stripeConnection.count({ where: { workspaceId } })).toBe(1);
  });

  it('a billing member may connect; bad keys get a precise message and store nothing', async () => {
    const owner = await createUser();
    const billing = await createUser();
    const { id: workspaceId } = await createWorkspace([[owner.id, 'owner']]);
    await addMember(workspaceId, billing.id, 'billing');
    for (const bad of ['', 'sk_test_123456789', 'pk_test_abcdefghijk', 'rk_test_ab', 'rk_test_has space123'])
      expect(await post(billing.id, connectKeyAction, { workspaceId, key: bad })).toMatchObject({
        key: 'Paste a restricted key: it starts with rk_test_ or rk_live_ (Stripe Dashboard → Developers → API keys).',
      });
    expect(await db.stripeConnection.count({ where: { workspaceId } })).toBe(0);
    expect(
      await post(billing.id, connectKeyAction, { workspaceId, key: await restrictedKey() }),
    ).toMatchObject({
      ok: true,
    });
    expect(await post(billing.id, disconnectStripeAction, { workspaceId })).toMatchObject({
      ok: true,
      message: 'Stripe disconnected.',
    });
    expect(await db.stripeConnection.count({ where: { workspaceId } })).toBe(0);
  });

  it('Connect sends the owner to Stripe’s hosted onboarding (the emulator here), nowhere else', async () => {
    const owner = await createUser();
    const outcome = await post(owner.id, startConnectAction, {
      workspaceId: owner.workspaceId,
      type: 'express',
    });
    expect(outcome).toHaveProperty('redirect');
    const url = new URL((outcome as { redirect: string }).redirect);
    expect(url.origin).toBe(new URL(process.env.STRIPE_API_URL!).origin);
    expect(
      await post(owner.id, startConnectAction, { workspaceId: owner.workspaceId, type: 'custom' }),
    ).toMatchObject({
      ok: false,
    });
  });
});
