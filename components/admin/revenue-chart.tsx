import { formatMoney } from '@/lib/format';

const WIDTH = 640;
const HEIGHT = 160;
const AXIS = 64; // room on the left for the y-axis labels

/** A round top for the y-axis: 1, 2 or 5 times a power of ten, at or above the largest day. */
export function axisTop(maxCents: number): number {
  const step = 10 ** Math.floor(Math.log10(Math.max(1, maxCents)));
  return [1, 2, 5, 10].map((m) => m * step).find((v) => v >= maxCents) ?? 10 * step;
}

/** Revenue per day as an accessible SVG bar chart (no chart library needed for 30 bars). */
export function RevenueChart({ data }: { data: Array<{ day: string; cents: number }> }) {
  if (data.every((d) => d.cents === 0))
    return <p className="mt-3 text-sm text-slate-600">No revenue in the last 30 days yet.</p>;
  const top = axisTop(Math.max(...data.map((d) => d.cents)));
  const bar = (WIDTH - AXIS) / data.length;
  const ticks = [0, top / 2, top];
  return (
    <figure>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 24}`}
        role="img"
        aria-label="Revenue per day over the last 30 days"
        className="h-48 w-full"
      >
        <g data-testid="revenue-y-axis">
          {ticks.map((t) => {
            const y = 4 + HEIGHT - (t / top) * HEIGHT;
            return (
              <g key={t}>
                <line x1={AXIS} y1={y} x2={WIDTH} y2={y} className="stroke-slate-200" />
                <text x={AXIS - 6} y={y + 3} textAnchor="end" className="fill-slate-500 text-[10px]">
                  {formatMoney(t)}
                </text>
              </g>
            );
          })}
        </g>
        {data.map((d, i) => {
          const h = Math.round((d.cents / top) * HEIGHT);
          const x = AXIS + i * bar;
          return (
            // The whole column answers hover with the day's figure, even where the bar is short.
            <g key={d.day} data-testid="revenue-day">
              <title>{`${d.day}: ${formatMoney(d.cents)}`}</title>
              <rect
                x={x}
                y={4}
                width={bar}
                height={HEIGHT}
                className="fill-transparent hover:fill-slate-100"
              />
              <rect
                x={x + 2}
                y={4 + HEIGHT - h}
                width={bar - 4}
                height={Math.max(h, d.cents > 0 ? 2 : 0)}
                className="fill-indigo-500"
              />
            </g>
          );
        })}
        <line x1={AXIS} y1={4 + HEIGHT} x2={WIDTH} y2={4 + HEIGHT} className="stroke-slate-300" />
        <text x={AXIS} y={HEIGHT + 20} className="fill-slate-500 text-[10px]">
          {data[0]?.day}
        </text>
        <text x={WIDTH} y={HEIGHT + 20} textAnchor="end" className="fill-slate-500 text-[10px]">
          {data[data.length - 1]?.day}
        </text>
      </svg>
      <figcaption className="sr-only">
        {data
          .filter((d) => d.cents > 0)
          .map((d) => `${d.day}: ${formatMoney(d.cents)}`)
          .join('; ') || 'No revenue in the last 30 days.'}
      </figcaption>
    </figure>
  );
}
