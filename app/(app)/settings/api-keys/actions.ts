'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { validatedAction, validatedFormAction } from '@/lib/action';
import { apiKeyNameSchema, createApiKey, EmailNotVerifiedError, revokeApiKey } from '@/lib/api/keys';
import { can } from '@/lib/workspaces/roles';

// Any member may make a key for the form's workspace; it acts there with their own role.
const member = { who: 'user', callbackUrl: '/settings/api-keys', workspace: 'use' } as const;

export const createKeyAction = validatedAction(
  { ...member, schema: z.object({ name: apiKeyNameSchema }) },
  async ({ name }, { user, workspace }) => {
    let key: string;
    try {
      ({ key } = await createApiKey({ workspaceId: workspace!.id, userId: user.id }, name));
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
  { ...member, schema: z.object({ id: z.string().default('') }) },
  async ({ id }, { user, workspace }) => {
    const anyKey = can(workspace!.role, 'members');
    await revokeApiKey({ workspaceId: workspace!.id, userId: user.id, anyKey }, id);
    revalidatePath('/settings/api-keys');
    return {};
  },
);
