import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';

export interface PlanOption {
  lookupKey: string;
  label: string;
  price: string;
}

/** The other plans a subscriber can switch to; each opens the change dialog with its preview. */
export function PlanOptions({ options }: { options: PlanOption[] }) {
  return (
    <ul className="mt-4 grid gap-3 sm:grid-cols-2" aria-label="Other plans">
      {options.map((option) => (
        <li
          key={option.lookupKey}
          aria-label={option.label}
          className="flex items-center justify-between gap-3 rounded-md p-3 ring-1 ring-inset ring-slate-200"
        >
          <div className="text-sm">
            <p className="font-semibold">{option.label}</p>
            <p className="text-slate-600">{option.price}</p>
          </div>
          <Link
            href={`/billing?change=${encodeURIComponent(option.lookupKey)}`}
            className={buttonClasses('secondary')}
            scroll={false}
          >
            Switch
          </Link>
        </li>
      ))}
    </ul>
  );
}
