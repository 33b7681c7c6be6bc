import 'server-only';
import { makeWorkerUtils, type JobHelpers, type TaskList } from 'graphile-worker';
import { z } from 'zod';
import { runDowngrade } from '@/lib/billing/dunning';
import { reconcileAll } from '@/lib/billing/reconcile';
import { applyBatch } from '@/lib/billing/webhooks/batch';
import { processEvent, requeueStaleEvents } from '@/lib/billing/webhooks/process';
import { recoverMissedEvents } from '@/lib/billing/webhooks/recover';
import { deliverEmail, requeueStuckEmails } from '@/lib/email/outbox';
import { billingEnabled, env } from '@/lib/env';
import { remindOverdueInvoices } from '@/lib/invoicing/reminders';
import { log } from '@/lib/log';
import { syncSeats } from '@/lib/workspaces/seats';
import { cleanupOldRows } from './cleanup';
import { unlockDeadWorkers } from './stale';

// Every kind of background work, as graphile-worker tasks. A task that throws
// is retried with exponential backoff (exp(attempt) seconds) up to its job's
// max_attempts. Payloads are parsed with zod: a job is a boundary too.

// `type` lets the applier skip the hot path's claim for a type it leaves to its handler.
const eventJob = z.object({
  id: z.string().min(1),
  type: z.string().min(1).optional(),
  connected: z.boolean().optional(),
});
// A batch job's payload: the events recorded on its queue, in order (receive.ts appends to it).
const batchJob = z.array(eventJob);
const emailJob = z.object({ key: z.string().min(1) });
const dunningJob = z.object({ subscriptionId: z.string().min(1) });
const seatsJob = z.object({ workspaceId: z.string().min(1) });

function done(task: string, helpers: JobHelpers, fields: Record<string, string | number | boolean>) {
  log.info('job.done', { task, job: helpers.job.id, attempt: helpers.job.attempts, ...fields });
}

export const tasks: TaskList = {
  /**
   * Apply the webhook events recorded on one queue (record.ts appends each to its queue's
   * pending job). A failed event gets its own apply_event job; the others are not held back.
   */
  async apply_events(payload, helpers) {
    const entries = batchJob.parse(payload);
    const result = await applyBatch(entries, helpers.job.id);
    if (result.failed.length > 0 || result.deferred > 0)
      log.warn('webhook.batch', { job: helpers.job.id, ...result, failed: result.failed.join(',') });
  },

  /** Apply one webhook event from the inbox (a batch's failed event, a requeued one). */
  async apply_event(payload) {
    const { id, ...hint } = eventJob.parse(payload);
    const result = await processEvent(id, hint);
    // The failure is recorded on the event; throwing schedules the retry.
    if (result === 'failed') throw new Error(`event ${id} failed to apply (see /admin/webhooks)`);
  },

  async send_email(payload, helpers) {
    const { key } = emailJob.parse(payload);
    const lastAttempt = helpers.job.attempts >= helpers.job.max_attempts;
    const result = await deliverEmail(key, lastAttempt);
    done('send_email', helpers, { result });
  },

  async dunning_downgrade(payload, helpers) {
    const { subscriptionId } = dunningJob.parse(payload);
    done('dunning_downgrade', helpers, { outcome: await runDowngrade(subscriptionId) });
  },

  /** Set a per-seat subscription's quantity to the member count (queued by membershipChanged). */
  async sync_seats(payload, helpers) {
    const { workspaceId } = seatsJob.parse(payload);
    done('sync_seats', helpers, { workspaceId, outcome: await syncSeats(workspaceId) });
  },

  /**
   * A killed worker's jobs and queues are freed (they run again); events and
   * emails whose job is gone or used up are queued again.
   */
  async requeue_events(_payload, helpers) {
    const deadWorkers = await unlockDeadWorkers();
    const requeued = await requeueStaleEvents();
    done('requeue_events', helpers, { deadWorkers, requeued, emails: await requeueStuckEmails() });
  },

  async recover_events(_payload, helpers) {
    if (!billingEnabled()) return;
    const { listed, recorded } = await recoverMissedEvents();
    done('recover_events', helpers, { listed, recorded });
  },

  /** Client invoices past due become overdue; their clients are reminded (at most weekly, once a day). */
  async remind_overdue_invoices(_payload, helpers) {
    done('remind_overdue_invoices', helpers, await remindOverdueInvoices());
  },

  async reconcile(_payload, helpers) {
    if (!billingEnabled()) return;
    const { customers, changes } = await reconcileAll();
    done('reconcile', helpers, { customers, changes: changes.length });
  },

  async cleanup(_payload, helpers) {
    done('cleanup', helpers, await cleanupOldRows());
    // graphile-worker's own housekeeping: queue names and task identifiers no job uses.
    const utils = await makeWorkerUtils({ connectionString: env().DATABASE_URL });
    try {
      await utils.cleanup({
        tasks: ['GC_JOB_QUEUES', 'GC_TASK_IDENTIFIERS'],
        taskIdentifiersToKeep: Object.keys(tasks),
      });
    } finally {
      await utils.release();
    }
  },
};

/**
 * The schedule (graphile-worker crontab): `fill` runs a missed slot when a
 * worker next starts (a serverless cron batch, a restart); `jobKey` collapses
 * the backlog of one task into a single job. Several instances run each slot once.
 */
export function crontab(): string {
  const { RECONCILE_CRON, RECOVER_EVENTS_CRON } = env();
  return [
    `*/5 * * * * requeue_events ?fill=1h&max=3&jobKey=cron:requeue_events`,
    `${RECOVER_EVENTS_CRON} recover_events ?fill=1d&max=3&jobKey=cron:recover_events`,
    `${RECONCILE_CRON} reconcile ?fill=2d&max=3&jobKey=cron:reconcile`,
    `17 4 * * * cleanup ?fill=2d&max=3&jobKey=cron:cleanup`,
    `7 9 * * * remind_overdue_invoices ?fill=2d&max=3&jobKey=cron:remind_overdue_invoices`,
  ].join('\n');
}
