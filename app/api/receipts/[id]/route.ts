import { currentUser } from '@/lib/auth/session';
import { receiptFor, renderReceiptPdf } from '@/lib/billing/receipts';
import { billingDisabledResponse, errorResponse, notFoundResponse } from '@/lib/http';

export const dynamic = 'force-dynamic';

// GET /api/receipts/{paymentId}: the PDF receipt of a completed payment, for its payer and for staff.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const disabled = billingDisabledResponse();
  if (disabled) return disabled;
  const viewer = await currentUser();
  if (!viewer) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  try {
    const receipt = await receiptFor((await params).id, viewer);
    if (!receipt) return notFoundResponse();
    const pdf = await renderReceiptPdf(receipt);
    return new Response(new Uint8Array(pdf), {
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="receipt-${receipt.number}.pdf"`,
        'cache-control': 'private, no-store',
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
