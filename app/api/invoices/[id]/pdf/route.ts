import { z } from 'zod';
import { withApi } from '@/lib/api/handler';
import { notFoundResponse, pdfDownload } from '@/lib/http';
import { invoiceFileName, renderInvoicePdf } from '@/lib/invoicing/document';
import { invoicingEnabled } from '@/lib/invoicing/gate';
import { invoiceOf } from '@/lib/invoicing/service';

export const dynamic = 'force-dynamic';

// GET /api/invoices/{id}/pdf: a client invoice as a PDF, for the members of its workspace
// (while the workspace has a connected Stripe account).
export const GET = withApi(
  { auth: 'session', billing: false, params: z.object({ id: z.string() }) },
  async ({ workspace, params }) => {
    if (!(await invoicingEnabled(workspace.id))) return notFoundResponse();
    const invoice = await invoiceOf(workspace.id, params.id);
    if (!invoice) return notFoundResponse();
    return pdfDownload(await renderInvoicePdf(invoice), invoiceFileName(invoice.number));
  },
);
