import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { deliverEmail } from '@/lib/email/outbox';
import { connectedWorkspace, draftInvoice } from '@/lib/testing/invoicing';
import { startSmtpServer } from '@/lib/testing/smtp';
import { sendInvoice } from './service';

// The invoice email over a real SMTP conversation (nodemailer → a loopback server): the client
// receives the pay link and the invoice as a PDF attachment.
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
  process.env.SMTP_URL = smtp.url;
  (await import('@/lib/env')).resetEnvCache();
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  (await import('@/lib/env')).resetEnvCache();
  await smtp.stop();
});

describe('the invoice email', () => {
  it('reaches the client with the pay link and INV-0001.pdf attached, once', async () => {
    const { workspaceId, client } = await connectedWorkspace();
    const { id } = await draftInvoice(workspaceId, client.id);
    await sendInvoice(workspaceId, id);
    const key = `client-invoice:${id}:sent`;
    expect(await deliverEmail(key)).toBe('sent');
    expect(await deliverEmail(key)).toBe('not pending');
    const messages = smtp.messagesTo(client.email);
    expect(messages).toHaveLength(1);
    const data = messages[0]!.data;
    const { payToken } = await db.clientInvoice.findUniqueOrThrow({ where: { id } });
    expect(data.replace(/=\r\n/g, '')).toContain(`/pay/${payToken}`);
    expect(data).toMatch(/Content-Type: application\/pdf; name=INV-0001\.pdf/);
    expect(data).toMatch(/Content-Disposition: attachment; filename=INV-0001\.pdf/);
    // The attachment is a PDF ("%PDF-" in base64).
    expect(data).toContain('JVBERi0');
  });
});
