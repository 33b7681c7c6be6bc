import { formatMoney } from '@/lib/billing/catalog';

/** Revenue per day as an accessible SVG bar chart (no chart library needed for 30 bars). */
export function RevenueChart({ data }: { data: Array<{ day: string; cents: number }> }) {
  const max = Math.max(1, ...data.map((d) => d.cents));
  const width = 600;
  const height = 160;
  const bar = width / data.length;
  if (data.every((d) => d.cents === 0))
    return <p className="mt-3 text-sm text-slate-600">No revenue in the last 30 days yet.</p>;
  return (
    <figure>
      <svg
        viewBox={`0 0 ${width} ${height + 20}`}
        role="img"
        aria-label="Revenue per day over the last 30 days"
        className="h-48 w-full"
      >
        {data.map((d, i) => {
          const h = Math.round((d.cents / max) * height);
          return (
            <rect
              key={d.day}
              x={i * bar + 2}
              y={height - h}
              width={bar - 4}
              height={Math.max(h, d.cents > 0 ? 2 : 0)}
              className="fill-indigo-500"
            >
              <title>{`${d.day}: ${formatMoney(d.cents)}`}</title>
            </rect>
          );
        })}
        <line x1="0" y1={height} x2={width} y2={height} className="stroke-slate-300" />
        <text x="0" y={height + 16} className="fill-slate-500 text-[10px]">
          {data[0]?.day}
        </text>
        <text x={width} y={height + 16} textAnchor="end" className="fill-slate-500 text-[10px]">
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
