'use server';

import { revalidatePath } from 'next/cache';
import { loadSampleData, removeSampleData } from '@/lib/admin/sample-data';
import { requireRole } from '@/lib/auth/session';
import { stripeMode } from '@/lib/billing/stripe';

export async function loadSampleDataAction(): Promise<void> {
  const actor = await requireRole(['admin'], '/admin');
  if (stripeMode() === 'live') return;
  await loadSampleData(actor);
  revalidatePath('/admin');
}

export async function removeSampleDataAction(): Promise<void> {
  const actor = await requireRole(['admin'], '/admin');
  await removeSampleData(actor);
  revalidatePath('/admin');
}
