'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { validatedAction } from '@/lib/action';
import { changePlan } from '@/lib/billing/plan-change';

const changeForm = z.object({
  lookupKey: z.string().min(1).max(100),
  prorationDate: z.coerce.number().int().positive(),
  issuedAt: z.coerce.number().int().positive(),
  signature: z.string().min(1).max(100),
});

export const changePlanAction = validatedAction(
  {
    who: 'user',
    callbackUrl: '/billing',
    billing: true,
    workspace: 'billing',
    schema: changeForm,
    invalid: 'Review the change again.',
    failure: 'Could not change your plan. Please try again.',
  },
  async (quote, { workspace }) => {
    const { lookupKey } = quote;
    const result = await changePlan(workspace!.id, quote);
    redirect(`/billing?changed=${encodeURIComponent(lookupKey)}${result.paid ? '' : '&unpaid=1'}`);
  },
);
