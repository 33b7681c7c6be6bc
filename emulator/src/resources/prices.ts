import type { Emulator } from '../emulator';
import type { Op } from '../op';
import { invalidRequest, paramError } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import {
  bool,
  inRange,
  list,
  metadata,
  nullableStr,
  obj,
  oneOf,
  pagination,
  parseShape,
  range,
  str,
} from '../wire/params';
import { fromParam, fromPath, mergeMetadata, retrieve } from './common';
import { priceCore, productDataShape } from './catalog-params';
import { createProduct } from './products';
import { createPrice } from './price-build';

const createShape = {
  ...priceCore,
  product: str(),
  product_data: obj(productDataShape),
  lookup_key: str({ max: 200 }),
  transfer_lookup_key: bool(),
  nickname: nullableStr(),
  metadata: metadata(),
  active: bool(),
  billing_scheme: oneOf(['per_unit']),
};

/** Lookup keys are unique; `transfer_lookup_key` moves one from its current price. */
function claimLookupKey(op: Op, key: string, transfer: boolean | undefined, ownerId: string | null): void {
  const holder = op.store.objects.price.values().find((p) => p.lookup_key === key && p.id !== ownerId);
  if (!holder) return;
  if (!transfer) {
    throw invalidRequest(
      `A price (\`${holder.id}\`) already uses that lookup key. Use \`transfer_lookup_key\` to move the key to this price.`,
      { param: 'lookup_key' },
    );
  }
  const before = structuredClone(holder);
  holder.lookup_key = null;
  op.store.objects.price.set(holder);
  op.emitUpdated('price.updated', before, holder);
}

export function registerPrices(emu: Emulator): void {
  const table = emu.store.objects.price;

  emu.api.add({
    method: 'POST',
    path: '/v1/prices',
    handler: ({ op, input }) => {
      const params = parseShape(createShape, input);
      if (params.product && params.product_data) {
        throw invalidRequest('You may only specify one of these parameters: product, product_data.', {
          validation: true,
        });
      }
      let productId = params.product;
      if (productId) fromParam(op.store.objects.product, productId, 'product', 'product');
      else if (params.product_data) productId = createProduct(op, params.product_data, { inline: false }).id;
      else throw paramError('Missing required param: product.', 'product', 'parameter_missing');
      if (params.lookup_key) claimLookupKey(op, params.lookup_key, params.transfer_lookup_key, null);
      return createPrice(op, params, {
        product: productId,
        inline: false,
        extra: {
          lookup_key: params.lookup_key ?? null,
          nickname: params.nickname ?? null,
          metadata: mergeMetadata({}, params.metadata),
          active: params.active ?? true,
        },
      });
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/prices/:id',
    handler: ({ op, id, input }) => retrieve(op.store.objects.price, id, input, 'price'),
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/prices/:id',
    handler: ({ op, id, input }) => {
      const price = fromPath(table, id, 'price');
      const params = parseShape(
        {
          active: bool(),
          metadata: metadata(),
          nickname: nullableStr(),
          lookup_key: nullableStr(),
          transfer_lookup_key: bool(),
          tax_behavior: oneOf(['exclusive', 'inclusive', 'unspecified']),
        },
        input,
      );
      if (params.lookup_key) claimLookupKey(op, params.lookup_key, params.transfer_lookup_key, price.id);
      const before = structuredClone(price);
      if (params.active !== undefined) price.active = params.active;
      if (params.nickname !== undefined) price.nickname = params.nickname;
      if (params.lookup_key !== undefined) price.lookup_key = params.lookup_key;
      if (params.tax_behavior !== undefined) price.tax_behavior = params.tax_behavior;
      price.metadata = mergeMetadata(price.metadata, params.metadata);
      table.set(price);
      op.emitUpdated('price.updated', before, price);
      return price;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/prices',
    handler: ({ op, input }) => {
      const params = parseShape(
        {
          ...pagination,
          active: bool(),
          currency: str(),
          product: str(),
          type: oneOf(['one_time', 'recurring']),
          lookup_keys: list(str()),
          recurring: obj({
            interval: oneOf(['day', 'week', 'month', 'year']),
            usage_type: oneOf(['licensed', 'metered']),
          }),
          created: range(),
        },
        input,
      );
      if (params.lookup_keys && params.lookup_keys.length > 10) {
        throw paramError('You may pass at most 10 lookup_keys.', 'lookup_keys');
      }
      const rows = table
        .values()
        .filter(
          (p) =>
            !op.store.isUnlisted(p.id) &&
            (params.active === undefined || p.active === params.active) &&
            (params.currency === undefined || p.currency === params.currency.toLowerCase()) &&
            (params.product === undefined || p.product === params.product) &&
            (params.type === undefined || p.type === params.type) &&
            (params.lookup_keys === undefined ||
              (p.lookup_key !== null && params.lookup_keys.includes(p.lookup_key))) &&
            (params.recurring?.interval === undefined ||
              p.recurring?.interval === params.recurring.interval) &&
            inRange(p.created, params.created),
        );
      return paginate(newestFirst(rows), params, '/v1/prices');
    },
  });
}
