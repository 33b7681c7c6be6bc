import type { Store } from '../store';
import type { EventType } from '../types';

/** An endpoint an event goes to, and the account that owns the endpoint. */
export interface EndpointRef {
  id: string;
  account: string;
}

/**
 * Who hears about an event on `account`: the account's own enabled endpoints, and the `connect`
 * endpoints of the platform it is connected to (unless the platform lost access). An account's
 * own `connect` endpoints hear only its connected accounts' events, as at Stripe.
 */
export function subscribedEndpoints(store: Store, account: string, type: EventType): EndpointRef[] {
  const listening = (connect: boolean) =>
    store.objects.webhook_endpoint
      .values()
      .filter(
        (e) =>
          e.status === 'enabled' &&
          (e.enabled_events.includes('*') || e.enabled_events.includes(type)) &&
          (store.internal.webhook_secret.get(e.id)?.connect ?? false) === connect,
      );
  const refs = listening(false).map((e) => ({ id: e.id, account }));
  const meta = store.registry.account_meta.get(account);
  if (meta?.platform && !meta.deauthorized) {
    const platform = meta.platform;
    refs.push(...store.within(platform, () => listening(true).map((e) => ({ id: e.id, account: platform }))));
  }
  return refs;
}
