import { z } from 'zod';
import { withApi } from '@/lib/api/handler';
import { receiptFor, renderReceiptPdf } from '@/lib/billing/receipts';
import { notFoundResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// GET /api/receipts/{paymentId}: the PDF receipt of a completed payment, for its workspace's owners and
// billing members, and for staff.
export const GET = withApi(
  { auth: 'session', params: z.object({ id: z.string() }) },
  async ({ user, params }) => {
    const receipt = await receiptFor(params.id, user);
    if (!receipt) return notFoundResponse();
    const pdf = await renderReceiptPdf(receipt);
    return new Response(new Uint8Array(pdf), {
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="receipt-${receipt.number}.pdf"`,
        'cache-control': 'private, no-store',
      },
    });
  },
);
