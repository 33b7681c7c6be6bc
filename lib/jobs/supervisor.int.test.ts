import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { superviseWorker } from '@/lib/jobs/supervisor';
import { eventsOfCustomer } from '@/lib/testing/fixtures';
import { customerWithHistory } from '@/lib/testing/histories';
import { clearJobQueue, waitApplied, waitFor } from '@/lib/testing/jobs';
import { deliverAll } from '@/lib/testing/webhooks';

// ADR 0039: a completion that fails (a deadlock with an acknowledgement's add_jobs, in the
// benchmark) shuts graphile-worker 0.18's pool down. Here the first job completion fails with
// PostgreSQL's deadlock code: a trigger raises it once (a sequence, which no rollback undoes, counts).
beforeAll(async () => {
  await clearJobQueue();
  await db.$executeRawUnsafe(`CREATE SEQUENCE IF NOT EXISTS test_completion_failures`);
  await db.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION test_fail_first_completion() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF nextval('test_completion_failures') = 1 THEN
        RAISE EXCEPTION 'forced deadlock' USING ERRCODE = '40P01';
      END IF;
      RETURN OLD;
    END $$`);
  await db.$executeRawUnsafe(`
    CREATE TRIGGER test_fail_first_completion BEFORE DELETE ON graphile_worker._private_jobs
    FOR EACH ROW EXECUTE FUNCTION test_fail_first_completion()`);
});
afterAll(async () => {
  await db.$executeRawUnsafe(
    `DROP TRIGGER IF EXISTS test_fail_first_completion ON graphile_worker._private_jobs`,
  );
  await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS test_fail_first_completion()`);
  await db.$executeRawUnsafe(`DROP SEQUENCE IF EXISTS test_completion_failures`);
});

describe('the worker supervisor', () => {
  it('replaces a runner whose completions failed at once: events delivered next apply within seconds', async () => {
    const supervisor = superviseWorker({ concurrency: 2, schedule: false, pollInterval: 100 });
    try {
      const first = await eventsOfCustomer((await customerWithHistory()).customer.id);
      await deliverAll(first);
      await waitFor(
        async () =>
          (
            await db.$queryRaw<Array<{ called: boolean }>>`
              SELECT is_called AS called FROM test_completion_failures`
          )[0]?.called,
        30_000,
        'a job completion to fail',
      );
      const next = await eventsOfCustomer((await customerWithHistory()).customer.id);
      await deliverAll(next);
      // The stall check alone would take over a minute (STALL_MS).
      await waitApplied(
        [...first, ...next].map((e) => e.id),
        25_000,
      );
      expect(supervisor.restarts()).toBeGreaterThanOrEqual(1);
    } finally {
      await supervisor.stop();
    }
  });
});
