// The invoicing forms as the browser posts them: without the billing right or a connected account
// they are a 404; another workspace's invoice changes nothing; bad input gets a precise message.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { postAs } from '@/lib/testing/actions';
import { addMember, createUser } from '@/lib/testing/fixtures';
import { connectedWorkspace, draftInvoice } from '@/lib/testing/invoicing';
import { createClientAction, createInvoiceAction, sendInvoiceAction, voidInvoiceAction } from './actions';

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock('@/lib/auth/config', () => ({
  auth: async () => (session.userId ? { user: { id: session.userId }, sessionVersion: 0 } : null),
}));
vi.mock('next/headers', () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

beforeEach(() => {
  session.userId = null;
});

/** Post a form as `userId`: the action's answer, its redirect, or a 404. */
const post = (userId: string, action: Parameters<typeof postAs>[2], fields: Record<string, string>) =>
  postAs(session, userId, action, fields);

const invoiceForm = (workspaceId: string, clientId: string) => ({
  workspaceId,
  clientId,
  currency: 'usd',
  dueDate: '2030-01-31',
  taxRate: '',
  depositKind: 'percent',
  depositValue: '30',
  notes: '',
  'lines.0.description': 'Work',
  'lines.0.quantity': '1',
  'lines.0.unitAmount': '1000',
});

describe('invoicing forms', () => {
  it('creates a draft and redirects to it; a member without the billing right gets a 404', async () => {
    const { user, workspaceId, client } = await connectedWorkspace();
    const created = await post(user.id, createInvoiceAction, invoiceForm(workspaceId, client.id));
    expect(created).toMatchObject({ redirect: expect.stringMatching(/^\/invoices\/[a-z0-9]+$/) });
    const member = await createUser();
    await addMember(workspaceId, member.id, 'member');
    expect(await post(member.id, createInvoiceAction, invoiceForm(workspaceId, client.id))).toEqual({
      status: 404,
    });
    expect(
      await post(member.id, createClientAction, {
        workspaceId,
        name: 'X',
        email: 'x@example.com',
        address: '',
      }),
    ).toEqual({
      status: 404,
    });
    expect(await db.clientInvoice.count({ where: { workspaceId } })).toBe(1);
  });

  it('a workspace without a connected account has no invoicing (404)', async () => {
    const owner = await createUser();
    expect(
      await post(owner.id, createClientAction, {
        workspaceId: owner.workspaceId,
        name: 'X',
        email: 'x@example.com',
        address: '',
      }),
    ).toEqual({ status: 404 });
    expect(await db.client.count({ where: { workspaceId: owner.workspaceId } })).toBe(0);
  });

  it("another workspace's invoice: sending or voiding it from mine changes nothing", async () => {
    const mine = await connectedWorkspace();
    const theirs = await connectedWorkspace();
    const { id } = await draftInvoice(theirs.workspaceId, theirs.client.id);
    expect(
      await post(mine.user.id, sendInvoiceAction, { workspaceId: mine.workspaceId, invoiceId: id }),
    ).toEqual({
      ok: false,
      message: 'Not found',
    });
    expect(
      await post(mine.user.id, sendInvoiceAction, { workspaceId: theirs.workspaceId, invoiceId: id }),
    ).toEqual({
      status: 404,
    });
    expect(
      await post(mine.user.id, voidInvoiceAction, {
        workspaceId: mine.workspaceId,
        invoiceId: id,
        reason: 'nope',
      }),
    ).toMatchObject({ ok: false });
    expect(await db.clientInvoice.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'draft',
      sentAt: null,
    });
  });

  it('bad input gets a precise message and creates nothing', async () => {
    const { user, workspaceId, client } = await connectedWorkspace();
    const bad = await post(user.id, createInvoiceAction, {
      ...invoiceForm(workspaceId, client.id),
      'lines.0.unitAmount': 'ten',
    });
    expect(bad).toEqual({ ok: false, message: 'Unit price: enter an amount such as 120 or 99.50.' });
    const badDeposit = await post(user.id, createInvoiceAction, {
      ...invoiceForm(workspaceId, client.id),
      depositKind: 'amount',
      depositValue: '5000',
    });
    expect(badDeposit).toEqual({ ok: false, message: 'The deposit must be less than the invoice total.' });
    const badClient = await post(user.id, createClientAction, {
      workspaceId,
      name: 'Y',
      email: 'not-an-email',
      address: '',
    });
    expect(badClient).toMatchObject({ ok: undefined });
    expect(await db.clientInvoice.count({ where: { workspaceId } })).toBe(0);
    expect(await db.client.count({ where: { workspaceId } })).toBe(1);
  });
});
