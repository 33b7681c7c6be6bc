import 'server-only';
import { db } from '@/lib/db';
import { processEvent } from './process';

// Applies recorded events in the background, one at a time, oldest first.
// The webhook route only records and acknowledges; it kicks this loop after
// responding. Acknowledging comes first: while webhook requests keep arriving
// the loop waits for a short lull (but never longer than STARVE_MS between
// events), so a burst is acked at full speed and applied right after it.
// Several instances may run this at once: processEvent claims each event
// with FOR UPDATE SKIP LOCKED. Events that fail are left to the sweeper.

const LULL_MS = 15;
const STARVE_MS = 250;
const BATCH = 100;

let lastRequestAt = 0;
let draining: Promise<void> | null = null;
let again = false;

/** Called by the webhook route for every request, before it acknowledges. */
export function noteWebhookRequest(): void {
  lastRequestAt = Date.now();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForLull(): Promise<void> {
  const started = Date.now();
  while (Date.now() - lastRequestAt < LULL_MS && Date.now() - started < STARVE_MS) await sleep(LULL_MS);
}

async function drain(): Promise<void> {
  do {
    again = false;
    for (;;) {
      const batch = await db.webhookEvent.findMany({
        where: { status: 'received' },
        orderBy: [{ stripeCreated: 'asc' }, { receivedAt: 'asc' }],
        take: BATCH,
        select: { id: true },
      });
      if (batch.length === 0) break;
      for (const { id } of batch) {
        await waitForLull();
        await processEvent(id);
      }
    }
  } while (again);
}

/** Whether the loop is already draining (so a new request need not schedule it). */
export function applierRunning(): boolean {
  return draining !== null;
}

/** Start the loop if it is not running; resolves when nothing is left to apply. */
export function kickApplier(): Promise<void> {
  if (draining) {
    again = true;
    return draining;
  }
  draining = drain().finally(() => {
    draining = null;
  });
  return draining;
}
