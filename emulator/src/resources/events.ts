import type { Emulator } from '../emulator';
import { newestFirst, paginate } from '../wire/list';
import { bool, inRange, list, pagination, parseShape, range, str } from '../wire/params';
import { fromPath } from './common';

/** `type` may end in `*` (`customer.*`), as at Stripe. */
function typeMatches(type: string, pattern: string): boolean {
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

export function registerEvents(emu: Emulator): void {
  const table = emu.store.objects.event;

  emu.api.add({
    method: 'GET',
    path: '/v1/events/:id',
    handler: ({ id, input }) => {
      parseShape({}, input);
      return fromPath(table, id, 'event');
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/events',
    handler: ({ input }) => {
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
      return paginate(newestFirst(rows), params, '/v1/events');
    },
  });
}
