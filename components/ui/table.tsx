import type { ReactNode } from 'react';

/** A column heading: its text, hidden but read aloud (`srOnly`) for a column of links, or right-aligned for figures. */
export type Header = string | { label: string; srOnly?: boolean; align?: 'right' };

/** A plain data table: a caption for screen readers, header cells, and an empty state. */
export function Table({
  label,
  headers,
  children,
  empty,
}: {
  label: string;
  headers: Header[];
  children: ReactNode;
  empty?: string | false;
}) {
  if (empty) return <p className="mt-3 text-sm text-slate-600">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="mt-2 w-full text-left text-sm" aria-label={label}>
        <thead className="text-slate-500">
          <tr>
            {headers.map((h) => {
              const { label: text, srOnly, align } = typeof h === 'string' ? { label: h } : h;
              return (
                <th
                  key={text}
                  scope="col"
                  className={`px-2 py-2 font-medium ${align === 'right' ? 'text-right' : ''}`}
                >
                  {srOnly ? <span className="sr-only">{text}</span> : text}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className }: { children?: ReactNode; className?: string }) {
  return <td className={`px-2 py-2 ${className ?? ''}`}>{children}</td>;
}
