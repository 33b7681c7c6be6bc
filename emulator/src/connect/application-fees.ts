import type { Emulator } from '../emulator';
import { fromPath } from '../resources/common';
import { idOf } from '../values';
import { newestFirst, paginate } from '../wire/list';
import { inRange, pagination, parseShape, range, str } from '../wire/params';

/** Application fees live on the platform: only its own requests see them. */
export function registerApplicationFees(emu: Emulator): void {
  const table = emu.store.objects.application_fee;
  const url = '/v1/application_fees';

  emu.api.add({
    method: 'GET',
    path: `${url}/:id`,
    handler: ({ id, input }) => {
      parseShape({}, input);
      return fromPath(table, id, 'application fee');
    },
  });
  emu.api.add({
    method: 'GET',
    path: `${url}/:id/refunds`,
    handler: ({ id, input }) => {
      const params = parseShape(pagination, input);
      const fee = fromPath(table, id, 'application fee');
      return paginate(fee.refunds.data, params, `${url}/${id}/refunds`);
    },
  });
  emu.api.add({
    method: 'GET',
    path: url,
    handler: ({ input }) => {
      const params = parseShape({ ...pagination, charge: str(), created: range() }, input);
      const rows = table
        .values()
        .filter(
          (fee) =>
            (params.charge === undefined || idOf(fee.charge) === params.charge) &&
            inRange(fee.created, params.created),
        );
      return paginate(newestFirst(rows), params, url);
    },
  });
}
