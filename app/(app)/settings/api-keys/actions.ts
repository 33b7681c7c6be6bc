'use server';

import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth/session';
import { apiKeyNameSchema, createApiKey, EmailNotVerifiedError, revokeApiKey } from '@/lib/api/keys';

export interface CreateKeyState {
  key?: string;
  name?: string;
  error?: string;
}

export async function createKeyAction(_prev: CreateKeyState, formData: FormData): Promise<CreateKeyState> {
  const user = await requireUser('/settings/api-keys');
  const parsed = apiKeyNameSchema.safeParse(formData.get('name'));
  if (!parsed.success) return { error: parsed.error.issues[0]?.message };
  let key: string;
  try {
    ({ key } = await createApiKey(user.id, parsed.data));
  } catch (error) {
    if (error instanceof EmailNotVerifiedError) return { error: error.publicMessage };
    throw error;
  }
  revalidatePath('/settings/api-keys');
  return { key, name: parsed.data };
}

export async function revokeKeyAction(formData: FormData): Promise<void> {
  const user = await requireUser('/settings/api-keys');
  await revokeApiKey(user.id, String(formData.get('id') ?? ''));
  revalidatePath('/settings/api-keys');
}
