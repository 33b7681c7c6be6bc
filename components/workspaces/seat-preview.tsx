import { formatDate, formatMoney } from '@/lib/format';
import { log } from '@/lib/log';
import { previewSeatChange, type SeatChangePreview } from '@/lib/workspaces/seat-preview';

/**
 * What inviting one more member costs, shown on the invite form before anyone is invited. Renders
 * nothing for a workspace whose plan is not per seat; a preview Stripe cannot make right now is a
 * note, never a broken form.
 */
export async function SeatPreview({ workspaceId }: { workspaceId: string }) {
  let preview: SeatChangePreview | null;
  try {
    preview = await previewSeatChange(workspaceId, 1);
  } catch (error) {
    log.warn('seats.preview_failed', {
      workspaceId,
      error: error instanceof Error ? error.message : String(error),
    });
    return (
      <p className="text-sm text-slate-600" data-testid="seat-preview">
        The price of another seat cannot be shown right now.
      </p>
    );
  }
  if (!preview) return null;
  const money = (cents: number) => formatMoney(cents, preview.currency);
  return (
    <div
      className="rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-700 ring-1 ring-inset ring-slate-200"
      data-testid="seat-preview"
    >
      {preview.seatsAfter === preview.seatsNow ? (
        <p>
          A new member uses a seat you already pay for ({preview.seatsNow} on {preview.planName}): nothing
          more to pay.
        </p>
      ) : (
        <>
          <p>
            {preview.planName} is billed per seat ({money(preview.perSeat)} each): a new member takes you from{' '}
            {preview.seatsNow} to {preview.seatsAfter} seats when they accept.
          </p>
          <p className="mt-1" data-testid="seat-preview-now">
            {preview.dueNow > 0
              ? `${money(preview.dueNow)} is charged when they join (the rest of this period, prorated).`
              : preview.proratedOnNext > 0
                ? `${money(preview.proratedOnNext)} for the rest of this period is added to your next invoice.`
                : 'Nothing is charged for the rest of this period.'}
          </p>
          <p className="mt-1" data-testid="seat-preview-next">
            Next invoice: {money(preview.nextAmount)} on {formatDate(preview.nextDate)}.
          </p>
        </>
      )}
    </div>
  );
}
