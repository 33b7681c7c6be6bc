'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { validatedAction } from '@/lib/action';
import { checkoutUrlFor } from '@/lib/invoicing/pay';

// The client's "Pay" button: opens (or reuses) the Checkout Session for what is due now and goes
// there. No account; the pay link's token is the access.
export const payInvoiceAction = validatedAction(
  {
    schema: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'This pay link is not valid.') }),
    who: 'anyone',
  },
  async ({ token }) => {
    const url = await checkoutUrlFor(token);
    redirect(url);
  },
);
