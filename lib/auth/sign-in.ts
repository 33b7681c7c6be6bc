import 'server-only';
import { z } from 'zod';
import { burnPasswordCheck, verifyPassword } from '@/lib/auth/password';
import { db } from '@/lib/db';
import {
  claimAttempt,
  clearHits,
  isKnownAddress,
  releaseAttempt,
  rememberAddress,
  SIGN_IN_PER_ACCOUNT,
  SIGN_IN_PER_ACCOUNT_IP,
  SIGN_IN_PER_IP,
  type Check,
} from '@/lib/rate-limit';

const credentialsSchema = z.object({
  email: z
    .email()
    .max(254)
    .transform((e) => e.trim().toLowerCase()),
  password: z.string().min(1).max(200),
});

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

export type CredentialsResult =
  | { ok: true; user: SignedInUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number };

/**
 * Check an email and password from `ip`. Every attempt is recorded before the
 * password is checked (so parallel guesses count), and forgotten again when
 * the password is right. Throttled attempts never see whether it was right.
 */
export async function checkCredentials(raw: unknown, ip: string): Promise<CredentialsResult> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const { email, password } = parsed.data;
  const checks: Check[] = [
    { throttle: SIGN_IN_PER_ACCOUNT_IP, key: `${email}|${ip}` },
    { throttle: SIGN_IN_PER_IP, key: ip },
  ];
  if (!(await isKnownAddress(email, ip))) checks.push({ throttle: SIGN_IN_PER_ACCOUNT, key: email });
  const claim = await claimAttempt(checks);
  if (!claim.ok) return { ok: false, reason: 'throttled', retryAfterMs: claim.retryAfterMs };

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await burnPasswordCheck(password), false);
  if (!user || !valid) return { ok: false, reason: 'invalid' };

  await releaseAttempt(claim.hitIds);
  await clearHits(SIGN_IN_PER_ACCOUNT_IP, `${email}|${ip}`);
  await rememberAddress(email, ip);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
