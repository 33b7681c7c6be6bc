import Link from 'next/link';
import { Badge } from '@/components/ui/badge';

/** The header's note of the current workspace's own Stripe account, with TEST MODE when it is. */
export function StripeStatus({
  label,
  testMode,
  href,
}: {
  label: string;
  testMode: boolean;
  /** Settings → Stripe, for those who may manage it. */
  href: string | null;
}) {
  const text = href ? (
    <Link href={href} className="hover:text-indigo-600">
      {label}
    </Link>
  ) : (
    label
  );
  return (
    <span className="flex items-center gap-2 text-xs text-slate-600" data-testid="workspace-stripe">
      {text}
      {testMode ? <Badge tone="yellow">TEST MODE</Badge> : null}
    </span>
  );
}
