import type Stripe from 'stripe';
import { activeEntitlements, syncProductCustomers } from '../billing/entitlements';
import type { Emulator } from '../emulator';
import { newId } from '../ids';
import { invalidRequest, resourceMissing } from '../wire/errors';
import { paginate } from '../wire/list';
import { bool, metadata, pagination, parseShape, req, str } from '../wire/params';
import { fromParam, fromPath, mergeMetadata, retrieve } from './common';

/** Oldest first: Stripe lists features and product features in creation order. */
const inOrder = <T>(rows: T[]): T[] => rows;

function registerFeatures(emu: Emulator): void {
  const table = emu.store.objects['entitlements.feature'];
  const url = '/v1/entitlements/features';
  emu.api.add({
    method: 'POST',
    path: url,
    handler: ({ input }) => {
      const params = parseShape(
        { lookup_key: req(str({ max: 80 })), name: req(str({ max: 80 })), metadata: metadata() },
        input,
      );
      if (table.values().some((f) => f.lookup_key === params.lookup_key)) {
        throw invalidRequest(`A feature with lookup_key ${params.lookup_key} already exists.`, {
          param: 'lookup_key',
          code: 'resource_already_exists',
        });
      }
      const feature: Stripe.Entitlements.Feature = {
        id: newId('feat'),
        object: 'entitlements.feature',
        active: true,
        livemode: false,
        lookup_key: params.lookup_key,
        metadata: mergeMetadata({}, params.metadata),
        name: params.name,
      };
      return table.set(feature);
    },
  });
  emu.api.add({
    method: 'GET',
    path: `${url}/:id`,
    handler: ({ id, input }) => retrieve(table, id, input, 'feature'),
  });
  emu.api.add({
    method: 'POST',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      const feature = fromPath(table, id, 'feature');
      const params = parseShape({ active: bool(), name: str({ max: 80 }), metadata: metadata() }, input);
      const wasActive = feature.active;
      if (params.active !== undefined) feature.active = params.active;
      if (params.name !== undefined) feature.name = params.name;
      feature.metadata = mergeMetadata(feature.metadata, params.metadata);
      table.set(feature);
      if (wasActive !== feature.active) {
        for (const link of op.store.internal.product_feature_link.values()) {
          if (op.store.objects.product_feature.get(link.id)?.entitlement_feature.id === feature.id) {
            // The product features embed the feature as it is now.
            const productFeature = op.store.objects.product_feature.get(link.id);
            if (productFeature)
              op.store.objects.product_feature.set({
                ...productFeature,
                entitlement_feature: structuredClone(feature),
              });
            syncProductCustomers(op, link.product);
          }
        }
      }
      return feature;
    },
  });
  emu.api.add({
    method: 'GET',
    path: url,
    handler: ({ input }) => {
      const params = parseShape({ ...pagination, lookup_key: str(), archived: bool() }, input);
      const rows = table
        .values()
        .filter(
          (f) =>
            (params.lookup_key === undefined || f.lookup_key === params.lookup_key) &&
            (params.archived === undefined || f.active === !params.archived),
        );
      return paginate(inOrder(rows), params, url);
    },
  });
}

function registerProductFeatures(emu: Emulator): void {
  const table = emu.store.objects.product_feature;
  const links = emu.store.internal.product_feature_link;
  const ofProduct = (product: string) =>
    links
      .values()
      .filter((l) => l.product === product)
      .map((l) => table.get(l.id))
      .filter((f) => f !== undefined);
  emu.api.add({
    method: 'POST',
    path: '/v1/products/:id/features',
    handler: ({ op, id, input }) => {
      const product = fromPath(op.store.objects.product, id, 'product');
      const params = parseShape({ entitlement_feature: req(str()) }, input);
      const feature = fromParam(
        op.store.objects['entitlements.feature'],
        params.entitlement_feature,
        'feature',
        'entitlement_feature',
      );
      if (!feature.active)
        throw invalidRequest('Archived features cannot be attached to products.', {
          param: 'entitlement_feature',
        });
      if (ofProduct(product.id).some((f) => f.entitlement_feature.id === feature.id)) {
        throw invalidRequest(`The feature ${feature.id} is already attached to this product.`, {
          param: 'entitlement_feature',
          code: 'resource_already_exists',
        });
      }
      const productFeature: Stripe.ProductFeature = {
        id: newId('prodft'),
        object: 'product_feature',
        entitlement_feature: structuredClone(feature),
        livemode: false,
      };
      table.set(productFeature);
      links.set({ id: productFeature.id, product: product.id });
      syncProductCustomers(op, product.id);
      return productFeature;
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/products/:id/features',
    handler: ({ op, id, input }) => {
      const product = fromPath(op.store.objects.product, id, 'product');
      return paginate(
        ofProduct(product.id),
        parseShape(pagination, input),
        `/v1/products/${product.id}/features`,
      );
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/products/:product/features/:id',
    handler: ({ params, input }) => {
      parseShape({}, input);
      const found = ofProduct(params.product ?? '').find((f) => f.id === params.id);
      if (!found) throw resourceMissing('product_feature', params.id ?? '', 'id', 404);
      return found;
    },
  });
  emu.api.add({
    method: 'DELETE',
    path: '/v1/products/:product/features/:id',
    handler: ({ op, params, input }) => {
      parseShape({}, input);
      const product = params.product ?? '';
      const found = ofProduct(product).find((f) => f.id === params.id);
      if (!found) throw resourceMissing('product_feature', params.id ?? '', 'id', 404);
      table.delete(found.id);
      links.delete(found.id);
      syncProductCustomers(op, product);
      return { id: found.id, object: 'product_feature', deleted: true };
    },
  });
}

function registerActiveEntitlements(emu: Emulator): void {
  const url = '/v1/entitlements/active_entitlements';
  emu.api.add({
    method: 'GET',
    path: url,
    handler: ({ op, input }) => {
      const params = parseShape({ ...pagination, customer: req(str()) }, input);
      fromParam(op.store.objects.customer, params.customer, 'customer', 'customer');
      return paginate(activeEntitlements(op, params.customer), params, url);
    },
  });
  emu.api.add({
    method: 'GET',
    path: `${url}/:id`,
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      for (const summary of op.store.internal.entitlement_summary.values()) {
        const found = summary.data.find((e) => e.id === id);
        if (found) return found;
      }
      throw resourceMissing('active_entitlement', id, 'id', 404);
    },
  });
}

export function registerEntitlements(emu: Emulator): void {
  registerFeatures(emu);
  registerProductFeatures(emu);
  registerActiveEntitlements(emu);
}
