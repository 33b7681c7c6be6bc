import { describe, expect, it } from 'vitest';
import { webhookSecretContext } from '@/lib/billing/connections';
import { receiveWorkspaceWebhook } from '@/lib/billing/webhooks/connected-intake';
import { processEvent } from '@/lib/billing/webhooks/process';
import { decryptSecret } from '@/lib/crypto/secrets';
import { db } from '@/lib/db';
import { shuffle } from '@/lib/testing/fixtures';
import { connectedWorkspace, draftInvoice, payInvoice } from '@/lib/testing/invoicing';
import { signedRequest } from '@/lib/testing/webhooks';
import { sendInvoice } from './service';

// Through the whole pipeline: the account's events posted to the workspace's own webhook URL
// (verified with its secret), stored once in the inbox, applied by processEvent → the connected
// applier → applyInvoicingEvent.

async function post(workspaceId: string, body: string) {
  const connection = await db.stripeConnection.findUniqueOrThrow({ where: { workspaceId } });
  const secret = decryptSecret(connection.webhookSecretCipher!, webhookSecretContext(workspaceId));
  return receiveWorkspaceWebhook(signedRequest(body, { secret }), connection.webhookToken!);
}

describe('invoice events through the workspace webhook URL', () => {
  it('shuffled, duplicated and concurrent deliveries record one payment and mark the deposit paid', async () => {
    const ws = await connectedWorkspace();
    const { id } = await draftInvoice(ws.workspaceId, ws.client.id);
    await sendInvoice(ws.workspaceId, id);
    const { payToken } = await db.clientInvoice.findUniqueOrThrow({ where: { id } });
    const { events } = await payInvoice(ws.workspaceId, payToken);
    expect(events.length).toBeGreaterThan(2);
    const deliveries = shuffle([...events, ...events, ...events]);
    const statuses = await Promise.all(
      deliveries.map(async (event) => {
        const response = await post(ws.workspaceId, JSON.stringify(event));
        if (response.status === 200) await processEvent(event.id);
        return response.status;
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
    // Every event ends applied (a delivery that found it held by another applier left it to that one).
    for (const event of events) await processEvent(event.id);
    const inbox = await db.webhookEvent.findMany({ where: { id: { in: events.map((e) => e.id) } } });
    expect(inbox).toHaveLength(events.length);
    expect(inbox.every((row) => row.workspaceId === ws.workspaceId)).toBe(true);
    expect(inbox.filter((row) => !['processed', 'ignored'].includes(row.status))).toEqual([]);
    expect(await db.clientInvoice.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'deposit_paid',
      amountPaid: 13200,
    });
    expect(await db.clientPayment.count({ where: { invoiceId: id } })).toBe(1);
  });

  it("a body signed with another workspace's secret is refused and changes nothing", async () => {
    const a = await connectedWorkspace();
    const b = await connectedWorkspace();
    const { id } = await draftInvoice(a.workspaceId, a.client.id);
    await sendInvoice(a.workspaceId, id);
    const { payToken } = await db.clientInvoice.findUniqueOrThrow({ where: { id } });
    const { events } = await payInvoice(a.workspaceId, payToken);
    const aConnection = await db.stripeConnection.findUniqueOrThrow({
      where: { workspaceId: a.workspaceId },
    });
    const aSecret = decryptSecret(aConnection.webhookSecretCipher!, webhookSecretContext(a.workspaceId));
    const bConnection = await db.stripeConnection.findUniqueOrThrow({
      where: { workspaceId: b.workspaceId },
    });
    for (const event of events) {
      const response = await receiveWorkspaceWebhook(
        signedRequest(JSON.stringify(event), { secret: aSecret }),
        bConnection.webhookToken!,
      );
      expect(response.status).toBe(400);
    }
    expect(await db.webhookEvent.count({ where: { id: { in: events.map((e) => e.id) } } })).toBe(0);
    expect(await db.clientInvoice.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'sent',
      amountPaid: 0,
    });
  });
});
