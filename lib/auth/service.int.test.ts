import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { verifyPassword } from './password';
import { registerUser, signUpSchema } from './service';

describe('registerUser', () => {
  it('stores an argon2id hash, never the password', async () => {
    const input = signUpSchema.parse({ email: 'New.Person@Example.com', password: 'correct horse battery' });
    const result = await registerUser(input);
    expect(result.ok).toBe(true);
    const user = await db.user.findUniqueOrThrow({ where: { email: 'new.person@example.com' } });
    expect(user.role).toBe('user');
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain('correct horse');
    expect(await verifyPassword(user.passwordHash!, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(user.passwordHash!, 'wrong')).toBe(false);
  });

  it('keeps one account per email, whatever its case, answering as if the sign-up were new', async () => {
    const first = await registerUser(
      signUpSchema.parse({ email: 'twice@example.com', password: 'long enough password' }),
    );
    const again = await registerUser(
      signUpSchema.parse({ email: 'TWICE@example.com', password: 'another long password' }),
    );
    // Sign-up must not tell an attacker which emails are registered.
    expect(again).toEqual(first);
    expect(await db.user.count({ where: { email: 'twice@example.com' } })).toBe(1);
  });

  it('rejects a short password with a field message', () => {
    const parsed = signUpSchema.safeParse({ email: 'a@b.co', password: 'short' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('Use at least 10 characters.');
  });
});
