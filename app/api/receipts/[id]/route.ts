import { z } from 'zod';
import { withApi } from '@/lib/api/handler';
import { receiptFor, renderReceiptPdf } from '@/lib/billing/receipts';
import { notFoundResponse, pdfDownload } from '@/lib/http';

export const dynamic = 'force-dynamic';

// GET /api/receipts/{paymentId}: the PDF receipt of a completed payment, for its workspace's owners and
// billing members, and for staff.
export const GET = withApi(
  { auth: 'session', params: z.object({ id: z.string() }) },
  async ({ user, params }) => {
    const receipt = await receiptFor(params.id, user);
    if (!receipt) return notFoundResponse();
    return pdfDownload(await renderReceiptPdf(receipt), `receipt-${receipt.number}.pdf`);
  },
);
