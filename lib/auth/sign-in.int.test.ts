import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import {
  cleanupRateLimits,
  SIGN_IN_PER_ACCOUNT,
  SIGN_IN_PER_ACCOUNT_IP,
  SIGN_IN_PER_IP,
} from '@/lib/rate-limit';
import { registerUser, signUpSchema } from './service';
import { checkCredentials } from './sign-in';

const PASSWORD = 'the right password';

async function newAccount(): Promise<string> {
  const email = `si-${randomUUID()}@example.com`;
  await registerUser(signUpSchema.parse({ email, password: PASSWORD }));
  return email;
}

/** Pretend the last attempts happened `ms` earlier (the delay runs from the last attempt). */
async function age(bucket: string, key: string, ms: number) {
  const rows = await db.rateLimitHit.findMany({
    where: { bucket, key },
    select: { id: true, createdAt: true },
  });
  for (const row of rows) {
    await db.rateLimitHit.update({
      where: { id: row.id },
      data: { createdAt: new Date(row.createdAt.getTime() - ms) },
    });
  }
}

const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID().slice(0, 4)}`;

describe('checkCredentials', () => {
  it('signs in with the right password and says nothing more than "invalid" otherwise', async () => {
    const email = await newAccount();
    const from = ip();
    expect(await checkCredentials({ email, password: PASSWORD }, from)).toMatchObject({ ok: true });
    expect(await checkCredentials({ email, password: 'wrong' }, from)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(
      await checkCredentials({ email: `nobody-${randomUUID()}@example.com`, password: 'x' }, from),
    ).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('counts a parallel burst of guesses one by one: only the free attempts reach the password check', async () => {
    const email = await newAccount();
    const from = ip();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => checkCredentials({ email, password: `guess-${i}` }, from)),
    );
    const checked = results.filter((r) => !r.ok && r.reason === 'invalid').length;
    const throttled = results.filter((r) => !r.ok && r.reason === 'throttled').length;
    // The free attempts, plus at most one whose 2 s delay ran out while it queued on a busy machine.
    expect(checked).toBeGreaterThanOrEqual(SIGN_IN_PER_ACCOUNT_IP.free);
    expect(checked).toBeLessThanOrEqual(SIGN_IN_PER_ACCOUNT_IP.free + 1);
    expect(throttled).toBe(20 - checked);
    // Every checked guess was recorded; no refused one was.
    const recorded = await db.rateLimitHit.count({
      where: { bucket: SIGN_IN_PER_ACCOUNT_IP.bucket, key: `${email}|${from}` },
    });
    expect(recorded).toBe(checked);
  });

  it('delays rather than locks: after the wait the owner signs in, and the delay grows per failure', async () => {
    const email = await newAccount();
    const from = ip();
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT_IP.free; i += 1)
      await checkCredentials({ email, password: 'bad' }, from);
    const first = await checkCredentials({ email, password: PASSWORD }, from);
    expect(first).toMatchObject({ ok: false, reason: 'throttled' });
    const firstWait = !first.ok && first.reason === 'throttled' ? first.retryAfterMs : 0;
    expect(firstWait).toBeGreaterThan(1000);
    expect(firstWait).toBeLessThanOrEqual(2000);
    await age(SIGN_IN_PER_ACCOUNT_IP.bucket, `${email}|${from}`, 2000);
    await age(SIGN_IN_PER_IP.bucket, from, 2000);
    await age(SIGN_IN_PER_ACCOUNT.bucket, email, 2000);
    // One more wrong guess after the wait: the next wait doubles.
    expect(await checkCredentials({ email, password: 'bad again' }, from)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    const second = await checkCredentials({ email, password: PASSWORD }, from);
    expect(!second.ok && second.reason === 'throttled' ? second.retryAfterMs : 0).toBeGreaterThan(3000);
    await age(SIGN_IN_PER_ACCOUNT_IP.bucket, `${email}|${from}`, 4000);
    await age(SIGN_IN_PER_IP.bucket, from, 4000);
    await age(SIGN_IN_PER_ACCOUNT.bucket, email, 4000);
    expect(await checkCredentials({ email, password: PASSWORD }, from)).toMatchObject({ ok: true });
    // Success forgives this address's failures.
    expect(
      await db.rateLimitHit.count({
        where: { bucket: SIGN_IN_PER_ACCOUNT_IP.bucket, key: `${email}|${from}` },
      }),
    ).toBe(0);
  });

  it('an attacker guessing from other addresses cannot keep the owner out', async () => {
    const email = await newAccount();
    const home = ip();
    expect(await checkCredentials({ email, password: PASSWORD }, home)).toMatchObject({ ok: true });
    // Up to the per-account threshold, spread across many addresses.
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT.free; i += 1) {
      await checkCredentials({ email, password: `spray-${i}` }, `203.0.113.${i % 200}-${i}`);
    }
    // As if the last guess had just happened (this machine may be slow).
    await db.rateLimitHit.updateMany({
      where: { bucket: SIGN_IN_PER_ACCOUNT.bucket, key: email },
      data: { createdAt: new Date() },
    });
    // A new address now waits (the account is under attack)…
    expect(await checkCredentials({ email, password: PASSWORD }, ip())).toMatchObject({
      reason: 'throttled',
    });
    // …but the owner's usual address goes straight in, and a fresh one gets in after at most a minute.
    expect(await checkCredentials({ email, password: PASSWORD }, home)).toMatchObject({ ok: true });
    expect(SIGN_IN_PER_ACCOUNT.maxDelayMs).toBeLessThanOrEqual(60_000);
  });

  it('one address spraying many accounts is slowed down', async () => {
    const from = ip();
    let throttled = false;
    for (let i = 0; i <= SIGN_IN_PER_IP.free && !throttled; i += 1) {
      const result = await checkCredentials(
        { email: `spray-${i}-${randomUUID()}@example.com`, password: 'x' },
        from,
      );
      throttled = !result.ok && result.reason === 'throttled';
    }
    expect(throttled).toBe(true);
  });
});

describe('cleanupRateLimits', () => {
  it('deletes rows older than their window and keeps recent ones', async () => {
    const key = `cleanup-${randomUUID()}`;
    const old = new Date(Date.now() - SIGN_IN_PER_ACCOUNT_IP.windowMs - 60_000);
    await db.rateLimitHit.createMany({
      data: [
        { bucket: SIGN_IN_PER_ACCOUNT_IP.bucket, key, createdAt: old },
        { bucket: SIGN_IN_PER_ACCOUNT_IP.bucket, key, createdAt: new Date() },
        { bucket: 'retired-bucket', key, createdAt: new Date(Date.now() - 2 * 24 * 3600_000) },
      ],
    });
    expect(await cleanupRateLimits()).toBeGreaterThanOrEqual(2);
    const left = await db.rateLimitHit.findMany({ where: { key }, select: { bucket: true } });
    expect(left).toEqual([{ bucket: SIGN_IN_PER_ACCOUNT_IP.bucket }]);
  });
});
