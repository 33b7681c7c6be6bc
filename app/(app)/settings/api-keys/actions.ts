'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { validatedAction, validatedFormAction } from '@/lib/action';
import { apiKeyNameSchema, createApiKey, EmailNotVerifiedError, revokeApiKey } from '@/lib/api/keys';

const owner = { who: 'user', callbackUrl: '/settings/api-keys' } as const;

export const createKeyAction = validatedAction(
  { ...owner, schema: z.object({ name: apiKeyNameSchema }) },
  async ({ name }, { user }) => {
    let key: string;
    try {
      ({ key } = await createApiKey(user.id, name));
    } catch (error) {
      if (error instanceof EmailNotVerifiedError)
        return { ok: false, fieldErrors: { name: error.publicMessage } };
      throw error;
    }
    revalidatePath('/settings/api-keys');
    return { ok: true, data: { key, name } };
  },
);

export const revokeKeyAction = validatedFormAction(
  { ...owner, schema: z.object({ id: z.string().default('') }) },
  async ({ id }, { user }) => {
    await revokeApiKey(user.id, id);
    revalidatePath('/settings/api-keys');
    return {};
  },
);
