'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** Re-render the server component every `ms` until it stops rendering this. */
export function AutoRefresh({ ms = 1000 }: { ms?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), ms);
    return () => clearInterval(timer);
  }, [router, ms]);
  return null;
}
