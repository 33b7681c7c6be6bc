import Link from 'next/link';

/** "Next page" link for cursor pagination, keeping the current filters. */
export function Pager({
  basePath,
  params,
  nextCursor,
}: {
  basePath: string;
  params: Record<string, string | undefined>;
  nextCursor: string | null;
}) {
  if (!nextCursor) return null;
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v && k !== 'cursor') search.set(k, v);
  search.set('cursor', nextCursor);
  return (
    <Link
      href={`${basePath}?${search.toString()}`}
      className="mt-4 inline-block text-sm font-semibold text-indigo-600 hover:text-indigo-500"
    >
      Next page →
    </Link>
  );
}
