'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { validatedFormAction } from '@/lib/action';
import { loadSampleData, removeSampleData } from '@/lib/admin/sample-data';
import { stripeMode } from '@/lib/billing/stripe';

const admins = { who: ['admin'], callbackUrl: '/admin', schema: z.object({}) } as const;

export const loadSampleDataAction = validatedFormAction(admins, async (_input, { user }) => {
  if (stripeMode() === 'live') return {};
  await loadSampleData(user);
  revalidatePath('/admin');
  return {};
});

export const removeSampleDataAction = validatedFormAction(admins, async (_input, { user }) => {
  await removeSampleData(user);
  revalidatePath('/admin');
  return {};
});
