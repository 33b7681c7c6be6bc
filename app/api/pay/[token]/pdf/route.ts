import { z } from 'zod';
import { withApi } from '@/lib/api/handler';
import { notFoundResponse, pdfDownload } from '@/lib/http';
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
    // The token is in the URL: keep it out of the Referer of anything the PDF links to.
    return pdfDownload(await renderInvoicePdf(invoice), invoiceFileName(invoice.number), {
      'referrer-policy': 'no-referrer',
    });
  },
);
