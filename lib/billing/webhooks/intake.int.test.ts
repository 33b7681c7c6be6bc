import fc from 'fast-check';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { processEvent } from '@/lib/billing/webhooks/process';
import { db } from '@/lib/db';
import { fakeEvent, signedRequest } from '@/lib/testing/webhooks';
import { isoOrDash, payloadText } from '@/lib/admin/webhook-view';
import { receiveWebhook } from './receive';

// Signed bodies no Stripe would send: each must be a 400 with a reason (or a
// 2xx for a harmless one), never a 5xx, and nothing outside the inbox changes.

const signer = new Stripe('sk_test_signing_only');
const secret = () => process.env.STRIPE_WEBHOOK_SECRET!;

async function post(body: string, timestamp?: number, header?: string) {
  const response = await receiveWebhook(signedRequest(body, { timestamp, ...(header ? { header } : {}) }));
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

/** A fingerprint of every table but the event inbox. */
async function stateOutsideInbox(): Promise<string> {
  const tables = await db.$queryRaw<Array<{ name: string }>>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
      AND table_name NOT IN ('WebhookEvent', 'RateLimitHit', '_prisma_migrations') ORDER BY 1`;
  const parts: string[] = [];
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<Array<{ digest: string | null }>>(
      `SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) AS digest FROM "${name}" t`,
    );
    parts.push(`${name}:${row?.digest ?? ''}`);
  }
  return parts.join('\n');
}

const raw = (overrides: string) =>
  `{"id":"evt_fz_${Math.random().toString(36).slice(2)}","object":"event","type":"customer.updated","created":${Math.floor(Date.now() / 1000)},"livemode":false,"data":{"object":${overrides}}}`;

describe('webhook intake refuses what PostgreSQL cannot store', () => {
  it.each([
    ['a NUL in a string', raw('{"id":"cus_nul","name":"a\\u0000b"}'), /NUL/],
    ['a lone surrogate', raw('{"id":"cus_sur","name":"\\ud800"}'), /surrogate/],
    ['created 1e20', raw('{"id":"cus_1"}').replace(/"created":\d+/, '"created":1e20'), /created/],
    ['created -1e15', raw('{"id":"cus_1"}').replace(/"created":\d+/, '"created":-1e15'), /created/],
    ['a number of 1e999999', raw('{"id":"cus_big","balance":1e999999}'), /number/],
    ['deep nesting', raw(`{"id":"cus_deep","x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`), /nested/],
    [
      'an id over 2.7 KB',
      raw('{"id":"cus_1"}').replace('"id":"evt_fz_', `"id":"evt_${'x'.repeat(2800)}`),
      /id must/,
    ],
    ['a type over 2.7 KB', raw('{"id":"cus_1"}').replace('customer.updated', 'x'.repeat(2800)), /type must/],
    [
      'a number PostgreSQL overflows',
      raw('{"id":"cus_tiny","balance":1e-999999}'),
      /PostgreSQL cannot store/,
    ],
  ])('%s: 400 with the reason, and no row', async (_name, body, reason) => {
    const before = await db.webhookEvent.count();
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(reason);
    expect(await db.webhookEvent.count()).toBe(before);
  });

  it('refuses a signature from the future or with a non-integer time, even with a matching HMAC', async () => {
    const body = JSON.stringify(fakeEvent('balance.available', { id: 'bal_future', object: 'balance' }));
    const now = Math.floor(Date.now() / 1000);
    for (const t of [now + 301, now + 600, now + 365 * 86_400]) {
      const response = await post(body, t);
      expect(response).toEqual({ status: 400, body: { error: 'Signature timestamp is in the future.' } });
    }
    const sign = (t: string) => {
      const hmac = signer.webhooks.generateTestHeaderString({
        payload: body,
        secret: secret(),
        timestamp: now,
      });
      return hmac.replace(/^t=\d+/, `t=${t}`);
    };
    for (const t of ['NaN', '1.5', `${now}.0`]) {
      const response = await post(body, undefined, sign(t));
      expect(response).toEqual({ status: 400, body: { error: 'Signature timestamp is not an integer.' } });
    }
    expect(await db.webhookEvent.count({ where: { objectId: 'bal_future' } })).toBe(0);
  });

  it('ignores event types named like Object.prototype members', async () => {
    for (const type of ['__proto__', 'constructor', 'toString']) {
      const event = fakeEvent(type, { id: `obj_${type}`, object: 'thing' });
      expect((await post(JSON.stringify(event))).status).toBe(200);
      expect(await processEvent(event.id)).toBe('ignored');
    }
  });
});

/** Seeded generator of hostile bodies. */
function hostileBodies(seed: number, runs: number): string[] {
  const base = () => JSON.parse(raw('{"id":"cus_fuzz","object":"customer"}')) as Record<string, unknown>;
  const strings = fc.oneof(
    fc.string(),
    fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000', '\ud83d', 'x'.repeat(3000)),
  );
  const numbers = fc.oneof(
    fc.double(),
    fc.constantFrom('1e999999', '-1e999999', '1e-999999', '1e20', '-1e15', '9'.repeat(400), 'NaN', '-0'),
  );
  const arb = fc.oneof(
    fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
    fc.tuple(fc.nat()).map(([cut]) => {
      const text = raw('{"id":"cus_broken","name":"x"}');
      return text.slice(0, cut % text.length);
    }),
    fc.tuple(fc.constantFrom('created', 'id', 'type', 'livemode'), numbers).map(([field, n]) => {
      const text = JSON.stringify({ ...base(), [field]: 0 });
      return text.replace(`"${field}":0`, `"${field}":${n}`);
    }),
    fc.tuple(fc.constantFrom('id', 'type', 'name', 'key'), strings).map(([field, value]) => {
      const event = base();
      if (field === 'key') (event.data as Record<string, unknown>).object = { [value]: 1 };
      else if (field === 'name')
        (event.data as Record<string, unknown>).object = { id: 'cus_fz', name: value };
      else event[field] = value;
      return JSON.stringify(event);
    }),
    fc
      .integer({ min: 1, max: 30_000 })
      .map((depth) =>
        JSON.stringify({ ...base(), data: { object: { id: 'cus_deep' } } }).replace(
          '{"id":"cus_deep"}',
          `{"id":"cus_deep","x":${'['.repeat(depth)}${']'.repeat(depth)}}`,
        ),
      ),
  );
  return fc.sample(arb, { seed, numRuns: runs });
}

describe('intake fuzzing', () => {
  it('answers every hostile signed body without a 5xx or a crash, changing nothing outside the inbox', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 12);
    const runs = Number(process.env.FUZZ_RUNS ?? 200);
    const before = await stateOutsideInbox();
    const statuses: Record<number, number> = {};
    const accepted: string[] = [];
    for (const body of hostileBodies(seed, runs)) {
      const response = await post(body);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      expect(response.status, body.slice(0, 200)).toBeLessThan(500);
      if (response.status === 200) {
        const id = (JSON.parse(body) as { id: string }).id;
        accepted.push(id);
        expect(['processed', 'ignored', 'skipped', 'failed']).toContain(await processEvent(id));
      }
    }
    expect(await stateOutsideInbox()).toBe(before);
    // Leave no queued job behind for the next test file's workers.
    for (const id of accepted) await db.$executeRaw`SELECT graphile_worker.remove_job(${id})`;
    await db.webhookEvent.deleteMany({ where: { id: { in: accepted } } });
    console.log(`intake fuzz: seed ${seed}, ${runs} bodies, statuses ${JSON.stringify(statuses)}`);
  }, 300_000);
});

describe('odd rows already in the inbox', () => {
  it('can still be read, shown and replayed (created of infinity, deep nesting)', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const ids = ['evt_odd_infinity', 'evt_odd_deep'];
    await db.$executeRaw`
      INSERT INTO "WebhookEvent" (id, type, livemode, "stripeCreated", payload)
      VALUES (${ids[0]}, 'customer.updated', false, 'infinity',
              '{"id":"evt_odd_infinity","type":"customer.updated","created":1e999,"data":{"object":{"id":"cus_odd"}}}'::jsonb),
             (${ids[1]}, 'thing.happened', false, now(), ${`{"id":"evt_odd_deep","type":"thing.happened","created":1,"data":{"object":${deep}}}`}::jsonb)`;
    for (const id of ids) {
      const row = await db.webhookEvent.findUniqueOrThrow({ where: { id } });
      expect(isoOrDash(row.stripeCreated)).toMatch(/^(—|\d{4}-)/);
      expect(payloadText(row.payload)).toBeTypeOf('string');
      expect(['ignored', 'processed', 'failed']).toContain(await processEvent(id));
    }
    await db.webhookEvent.deleteMany({ where: { id: { in: ids } } });
  });
});
