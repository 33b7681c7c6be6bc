import type { Emulator } from '../emulator';
import type { Op } from '../op';
import type { EventObject } from '../types';
import { newestFirst, paginate } from '../wire/list';
import { bool, inRange, list, pagination, parseShape, range, str } from '../wire/params';
import { fromPath } from './common';

/** `type` may end in `*` (`customer.*`), as at Stripe. */
function typeMatches(type: string, pattern: string): boolean {
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

/** A platform reading a connected account's events sees which account each happened on. */
function viaConnect(op: Op, event: EventObject): EventObject & { account?: string } {
  return op.platform ? { account: op.store.account, ...event } : event;
}

export function registerEvents(emu: Emulator): void {
  const table = emu.store.objects.event;

  emu.api.add({
    method: 'GET',
    path: '/v1/events/:id',
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      return viaConnect(op, fromPath(table, id, 'event'));
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/events',
    handler: ({ op, input }) => {
      const params = parseShape(
        { ...pagination, type: str(), types: list(str()), created: range(), delivery_success: bool() },
        input,
      );
      const rows = table
        .values()
        .filter(
          (e) =>
            (params.type === undefined || typeMatches(e.type, params.type)) &&
            (params.types === undefined || params.types.some((t) => typeMatches(e.type, t))) &&
            (params.delivery_success === undefined ||
              (e.pending_webhooks === 0) === params.delivery_success) &&
            inRange(e.created, params.created),
        );
      const page = paginate(newestFirst(rows), params, '/v1/events');
      return { ...page, data: page.data.map((event) => viaConnect(op, event)) };
    },
  });
}
