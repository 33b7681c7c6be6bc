import Link from 'next/link';

const sections = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/workspaces', label: 'Workspaces' },
  { href: '/admin/payments', label: 'Payments' },
  { href: '/admin/disputes', label: 'Disputes' },
  { href: '/admin/webhooks', label: 'Webhooks' },
  { href: '/admin/coupons', label: 'Coupons' },
  { href: '/admin/audit', label: 'Audit log' },
];

export function AdminNav({ billing }: { billing: boolean }) {
  const visible = billing
    ? sections
    : sections.filter((s) =>
        ['/admin', '/admin/users', '/admin/workspaces', '/admin/audit'].includes(s.href),
      );
  return (
    <nav aria-label="Admin" className="mb-6 flex flex-wrap gap-2 text-sm">
      {visible.map((s) => (
        <Link
          key={s.href}
          href={s.href}
          className="rounded-md bg-white px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-100"
        >
          {s.label}
        </Link>
      ))}
    </nav>
  );
}
