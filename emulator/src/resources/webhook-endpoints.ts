import type Stripe from 'stripe';
import type { Emulator } from '../emulator';
import { newId, randomString } from '../ids';
import { isKnownApiVersion, type Full } from '../types';
import { paramError } from '../wire/errors';
import { newestFirst, paginate } from '../wire/list';
import { bool, list, metadata, nullableStr, pagination, parseShape, req, str } from '../wire/params';
import { fromPath, mergeMetadata, deleteWithTombstone, retrieve } from './common';

const EVENT_NAME = /^(\*|[a-z_]+(\.[a-z_]+)+)$/;

function checkUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
  } catch {
    // fall through to Stripe's error
  }
  throw paramError(`Invalid URL: ${url}`, 'url', 'url_invalid');
}

function checkEvents(events: string[]): string[] {
  events.forEach((name, index) => {
    if (!EVENT_NAME.test(name))
      throw paramError(`Invalid enabled_events[${index}]: ${name}`, `enabled_events[${index}]`);
  });
  return events;
}

/** Webhook endpoints; the signing secret is shown once, in the create response. */
function checkApiVersion(version: string | undefined): string | null {
  if (version === undefined) return null;
  if (!isKnownApiVersion(version)) throw paramError(`Invalid API version: ${version}`, 'api_version');
  return version;
}

export function registerWebhookEndpoints(emu: Emulator): void {
  const table = emu.store.objects.webhook_endpoint;

  emu.api.add({
    method: 'POST',
    path: '/v1/webhook_endpoints',
    handler: ({ op, input }) => {
      const params = parseShape(
        {
          url: req(str()),
          enabled_events: req(list(str())),
          description: nullableStr(),
          metadata: metadata(),
          api_version: str(),
          connect: bool(),
        },
        input,
      );
      const endpoint: Full<Stripe.WebhookEndpoint, 'deleted' | 'secret'> = {
        id: newId('we'),
        object: 'webhook_endpoint',
        api_version: checkApiVersion(params.api_version),
        application: null,
        created: op.now(),
        description: params.description ?? null,
        enabled_events: checkEvents(params.enabled_events),
        livemode: false,
        metadata: mergeMetadata({}, params.metadata),
        status: 'enabled',
        url: checkUrl(params.url),
      };
      const secret = `whsec_${randomString(32)}`;
      table.set(endpoint);
      op.store.internal.webhook_secret.set({ id: endpoint.id, secret, connect: params.connect ?? false });
      return { ...endpoint, secret };
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/webhook_endpoints/:id',
    handler: ({ id, input }) => retrieve(table, id, input, 'webhook endpoint'),
  });
  emu.api.add({
    method: 'POST',
    path: '/v1/webhook_endpoints/:id',
    handler: ({ id, input }) => {
      const endpoint = fromPath(table, id, 'webhook endpoint');
      const params = parseShape(
        {
          url: str(),
          enabled_events: list(str()),
          description: nullableStr(),
          metadata: metadata(),
          disabled: bool(),
        },
        input,
      );
      if (params.url !== undefined) endpoint.url = checkUrl(params.url);
      if (params.enabled_events !== undefined) endpoint.enabled_events = checkEvents(params.enabled_events);
      if (params.description !== undefined) endpoint.description = params.description;
      if (params.disabled !== undefined) endpoint.status = params.disabled ? 'disabled' : 'enabled';
      endpoint.metadata = mergeMetadata(endpoint.metadata, params.metadata);
      table.set(endpoint);
      return endpoint;
    },
  });
  emu.api.add({
    method: 'DELETE',
    path: '/v1/webhook_endpoints/:id',
    handler: ({ op, id, input }) => {
      parseShape({}, input);
      fromPath(table, id, 'webhook endpoint');
      op.store.internal.webhook_secret.delete(id);
      return deleteWithTombstone(op, table, id, 'webhook_endpoint');
    },
  });
  emu.api.add({
    method: 'GET',
    path: '/v1/webhook_endpoints',
    handler: ({ input }) => {
      const params = parseShape(pagination, input);
      return paginate(newestFirst(table.values()), params, '/v1/webhook_endpoints');
    },
  });
}
