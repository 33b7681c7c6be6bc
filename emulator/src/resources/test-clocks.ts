import type Stripe from 'stripe';
import { runUntil } from '../billing/scheduler';
import { DAY } from '../billing/time';
import type { Emulator } from '../emulator';
import { newId } from '../ids';
import type { Op } from '../op';
import { invalidRequest, paramError } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import { int, pagination, parseShape, req, str } from '../wire/params';
import { fromPath, deleteWithTombstone } from './common';
import { idOf } from '../values';

const MAX_FROZEN_TIME = 4_102_444_800; // 2100-01-01

/**
 * Moves a test clock forward: everything billing would do for its customers in that time runs
 * in order, each step at its own simulated time. Returns once it is all done (events queued);
 * the answer shows the clock as `advancing`, as Stripe's does, and it is `ready` straight after.
 */
export function advanceClock(
  op: Op,
  clock: Stripe.TestHelpers.TestClock,
  target: number,
): Stripe.TestHelpers.TestClock {
  const from = clock.frozen_time;
  clock.status = 'advancing';
  clock.status_details = { advancing: { target_frozen_time: target } };
  op.store.objects['test_helpers.test_clock'].set(clock);
  const answer = structuredClone(clock);
  op.at(from, () => op.emit('test_helpers.test_clock.advancing', clock));
  runUntil(op, clock.id, from, target);
  clock.frozen_time = target;
  clock.status = 'ready';
  clock.status_details = {};
  op.store.objects['test_helpers.test_clock'].set(clock);
  op.automatic(target, () => op.emit('test_helpers.test_clock.ready', clock));
  return answer;
}

export function registerTestClocks(emu: Emulator): void {
  const table = emu.store.objects['test_helpers.test_clock'];
  const url = '/v1/test_helpers/test_clocks';

  emu.api.add({
    method: 'POST',
    path: url,
    handler: ({ op, input }) => {
      const params = parseShape(
        { frozen_time: req(int({ min: 0, max: MAX_FROZEN_TIME })), name: str({ max: 300 }) },
        input,
      );
      const created = op.now();
      const clock: Stripe.TestHelpers.TestClock = {
        id: newId('clock'),
        object: 'test_helpers.test_clock',
        created,
        deletes_after: created + 30 * DAY,
        frozen_time: params.frozen_time,
        livemode: false,
        name: params.name ?? null,
        status: 'ready',
        status_details: {},
      };
      table.set(clock);
      op.at(clock.frozen_time, () => op.emit('test_helpers.test_clock.created', clock));
      return clock;
    },
  });
  emu.api.add({
    method: 'GET',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      return op.store.internal.tombstone.get(id) ?? fromPath(table, id, 'test_clock');
    },
  });
  emu.api.add({
    method: 'GET',
    path: url,
    handler: ({ input }) => paginate(newestFirst(table.values()), parseShape(pagination, input), url),
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id/advance`,
    handler: ({ op, id, input }) => {
      const clock = fromPath(table, id, 'test_clock');
      const params = parseShape({ frozen_time: req(int({ min: 0, max: MAX_FROZEN_TIME })) }, input);
      if (clock.status === 'advancing')
        throw invalidRequest('The test clock is already advancing. Wait for it to be ready.', {
          code: 'test_clock_advancing',
        });
      if (params.frozen_time <= clock.frozen_time) {
        throw paramError(
          "The frozen_time must be after the test clock's current frozen_time.",
          'frozen_time',
        );
      }
      return advanceClock(op, clock, params.frozen_time);
    },
  });
  emu.api.add({
    method: 'DELETE',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      const clock = fromPath(table, id, 'test_clock');
      // Deleting a clock deletes the customers on it and their subscriptions, silently.
      for (const sub of op.store.objects.subscription.values())
        if (idOf(sub.test_clock) === id) op.store.objects.subscription.delete(sub.id);
      for (const customer of op.store.objects.customer.values()) {
        if (idOf(customer.test_clock) !== id) continue;
        deleteWithTombstone(op, op.store.objects.customer, customer.id, 'customer');
      }
      const tombstone = deleteWithTombstone(op, table, id, 'test_helpers.test_clock');
      op.at(clock.frozen_time, () => op.emit('test_helpers.test_clock.deleted', clock));
      return tombstone;
    },
  });
}
