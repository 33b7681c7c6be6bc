// The credits form's one-time request id goes through the API's idempotency rule: validated,
// bound to its purchase, replayed for the same purchase, refused for another (issue #11).
import { describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { createUser } from '@/lib/testing/fixtures';
import { buyCreditsAction } from './actions';

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock('@/lib/auth/config', () => ({
  auth: async () => (session.userId ? { user: { id: session.userId }, sessionVersion: 0 } : null),
}));

/**
 * Submit the form as the signed-in user, rendered for their personal workspace unless `fields`
 * names another: the checkout URL it redirects to, or its message.
 */
async function buy(user: { id: string; workspaceId: string }, fields: Record<string, string>) {
  session.userId = user.id;
  const form = new FormData();
  for (const [name, value] of Object.entries({ workspaceId: user.workspaceId, ...fields }))
    form.set(name, value);
  try {
    const state = await buyCreditsAction({}, form);
    return { redirect: null, message: state.message ?? null };
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? '';
    if (!digest.startsWith('NEXT_REDIRECT')) throw error;
    return { redirect: digest.split(';')[2] ?? '', message: null };
  }
}

const payments = (workspaceId: string) =>
  db.payment.findMany({ where: { workspaceId }, select: { amount: true } });

describe('the credits form request id', () => {
  it.each([
    ['missing', ''],
    ['not a UUID', 'not-a-uuid-at-all'],
    ['too long', `pack-credits_1000-${'a'.repeat(300)}`],
    ['a NUL', `custom-${crypto.randomUUID().slice(0, -1)}\u0000`],
  ])('is refused when %s, and nothing is created', async (_case, requestId) => {
    const user = await createUser();
    expect(await buy(user, { pack: 'credits_1000', requestId })).toEqual({
      redirect: null,
      message: 'Reload the page and try again.',
    });
    expect(await payments(user.workspaceId)).toEqual([]);
  });

  it('replays the same purchase (also concurrently) and refuses another purchase with the same id', async () => {
    const user = await createUser();
    const requestId = `custom-${crypto.randomUUID()}`;
    const answers = await Promise.all([1, 2, 3].map(() => buy(user, { dollars: '12.50', requestId })));
    const urls = answers.map((a) => a.redirect ?? a.message);
    expect(
      urls.every((u) => typeof u === 'string' && (u.includes('/c/pay/') || u.includes('in-progress'))),
    ).toBe(true);
    expect(new Set(answers.filter((a) => a.redirect).map((a) => a.redirect)).size).toBe(1);
    expect(await payments(user.workspaceId)).toEqual([{ amount: 1250 }]);

    const other = await buy(user, { dollars: '200', requestId });
    expect(other.redirect).toBeNull();
    expect(other.message).toContain(`'${requestId}'`);
    expect(other.message).toMatch(/can only be used with the same parameters/);
    expect(await payments(user.workspaceId)).toEqual([{ amount: 1250 }]);
  });
});
