import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import { newId } from '../ids';
import type { Op } from '../op';
import type { Full } from '../types';
import { invalidRequest, paramError } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import {
  bool,
  inRange,
  list,
  nullableStr,
  obj,
  pagination,
  parseShape,
  range,
  str,
  type Infer,
} from '../wire/params';
import { type PriceCore, type ProductData, priceCore, productDataShape } from './catalog-params';
import { fromPath, mergeMetadata, deleteWithTombstone } from './common';
import { createPrice } from './price-build';

const { currency, unit_amount, unit_amount_decimal, recurring, tax_behavior } = priceCore;
const defaultPriceData = obj({ currency, unit_amount, unit_amount_decimal, recurring, tax_behavior });

const extraFields = {
  url: nullableStr(),
  shippable: bool(),
  marketing_features: list(obj({ name: str() })),
};
const createShape = {
  ...productDataShape,
  ...extraFields,
  id: str(),
  type: str(),
  default_price_data: defaultPriceData,
};
const updateShape = {
  ...productDataShape,
  ...extraFields,
  name: str(),
  default_price: str(),
};
type Extra = Partial<Infer<typeof extraFields>>;

function apply(product: Stripe.Product, data: Partial<ProductData> & Extra): void {
  if (data.name !== undefined) product.name = data.name;
  if (data.active !== undefined) product.active = data.active;
  if (data.description !== undefined) product.description = data.description;
  if (data.images !== undefined) product.images = data.images;
  if (data.statement_descriptor !== undefined) product.statement_descriptor = data.statement_descriptor;
  if (data.tax_code !== undefined) product.tax_code = data.tax_code;
  if (data.unit_label !== undefined) product.unit_label = data.unit_label;
  if (data.url !== undefined) product.url = data.url;
  if (data.shippable !== undefined) product.shippable = data.shippable;
  if (data.marketing_features !== undefined) {
    product.marketing_features = data.marketing_features.map((feature) => ({ name: feature.name }));
  }
  product.metadata = mergeMetadata(product.metadata, data.metadata);
}

/**
 * A product; inline ones (Checkout's `product_data`) stay out of lists and announce nothing.
 * With `defaultPrice`, Stripe announces the product with its default price set, then the price.
 */
export function createProduct(
  op: Op,
  data: ProductData & Extra & { id?: string },
  options: { inline: boolean; defaultPrice?: PriceCore },
): Stripe.Product {
  if (data.id && (op.store.objects.product.has(data.id) || op.store.internal.tombstone.has(data.id))) {
    throw invalidRequest('Product already exists.', { param: 'id', code: 'resource_already_exists' });
  }
  const now = op.now();
  const product: Full<Stripe.Product, 'deleted'> = {
    id: data.id ?? newId('prod'),
    object: 'product',
    active: true,
    created: now,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: data.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: now,
    url: null,
  };
  apply(product, data);
  const price = options.defaultPrice
    ? createPrice(op, options.defaultPrice, {
        product: product.id,
        inline: false,
        silent: true,
        parent: 'default_price_data',
      })
    : null;
  if (price) product.default_price = price.id;
  op.store.objects.product.set(product);
  if (options.inline) op.store.internal.unlisted.set({ id: product.id });
  else op.emit('product.created', product);
  if (price) op.emit('price.created', price);
  return product;
}

export function registerProducts(emu: Emulator): void {
  const table = emu.store.objects.product;

  emu.api.add({
    method: 'POST',
    path: '/v1/products',
    handler: ({ op, input }) => {
      const { default_price_data, type: _type, ...params } = parseShape(createShape, input);
      return createProduct(op, params, { inline: false, defaultPrice: default_price_data });
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/products/:id',
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      return op.store.internal.tombstone.get(id) ?? fromPath(table, id, 'product');
    },
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/products/:id',
    handler: ({ op, id, input }) => {
      const product = fromPath(table, id, 'product');
      const { default_price, ...params } = parseShape(updateShape, input);
      if (default_price !== undefined) {
        const price = op.store.objects.price.get(default_price);
        if (!price)
          throw invalidRequest(`No such price: '${default_price}'`, {
            param: 'default_price',
            code: 'resource_missing',
          });
        if (price.product !== product.id) {
          throw invalidRequest(`The price \`${default_price}\` does not belong to this product.`, {
            param: 'default_price',
          });
        }
      }
      const before = structuredClone(product);
      apply(product, params);
      if (default_price !== undefined) product.default_price = default_price;
      product.updated = op.now();
      table.set(product);
      op.emitUpdated('product.updated', before, product);
      return product;
    },
  });
  emu.api.add({
    method: 'DELETE',
    path: '/v1/products/:id',
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      const product = fromPath(table, id, 'product');
      if (op.store.objects.price.values().some((p) => p.product === id && !op.store.isUnlisted(p.id))) {
        throw invalidRequest(
          'This product cannot be deleted because it has one or more user-created prices.',
        );
      }
      const tombstone = deleteWithTombstone(op, table, id, 'product');
      op.emit('product.deleted', product);
      return tombstone;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/products',
    handler: ({ op, input }) => {
      const params = parseShape(
        { ...pagination, active: bool(), ids: list(str()), shippable: bool(), url: str(), created: range() },
        input,
      );
      if (params.ids && params.ids.length > 100) throw paramError('You may pass at most 100 ids.', 'ids');
      const rows = table
        .values()
        .filter(
          (p) =>
            !op.store.isUnlisted(p.id) &&
            (params.active === undefined || p.active === params.active) &&
            (params.ids === undefined || params.ids.includes(p.id)) &&
            (params.shippable === undefined || p.shippable === params.shippable) &&
            (params.url === undefined || p.url === params.url) &&
            inRange(p.created, params.created),
        );
      return paginate(newestFirst(rows), params, '/v1/products');
    },
  });
}
