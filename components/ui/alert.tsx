import type { ReactNode } from 'react';
import { cn } from './cn';

const tones = {
  error: 'bg-red-50 text-red-800 ring-red-200',
  warning: 'bg-yellow-50 text-yellow-900 ring-yellow-300',
  success: 'bg-green-50 text-green-800 ring-green-200',
  info: 'bg-sky-50 text-sky-900 ring-sky-200',
} as const;

export function Alert({
  tone = 'info',
  children,
  className,
}: {
  tone?: keyof typeof tones;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={cn('rounded-md px-4 py-3 text-sm ring-1 ring-inset', tones[tone], className)}
    >
      {children}
    </div>
  );
}
