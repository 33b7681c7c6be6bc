import { z } from 'zod';
import { withApi } from '@/lib/api/handler';
import { notFoundResponse } from '@/lib/http';
import { invoiceFileName, renderInvoicePdf } from '@/lib/invoicing/document';
import { invoiceByToken } from '@/lib/invoicing/service';

export const dynamic = 'force-dynamic';

// GET /api/pay/{token}/pdf: the invoice behind a pay link, for the client (no account; the
// unguessable token is the access). Drafts and void invoices are a 404.
export const GET = withApi(
  { auth: 'public', billing: false, params: z.object({ token: z.string() }) },
  async ({ params }) => {
    const invoice = await invoiceByToken(params.token);
    if (!invoice) return notFoundResponse();
    return new Response(new Uint8Array(await renderInvoicePdf(invoice)), {
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="${invoiceFileName(invoice.number)}"`,
        'cache-control': 'private, no-store',
        'referrer-policy': 'no-referrer',
      },
    });
  },
);
