import type { Emulator } from './emulator';
import type { PendingEvent } from './events/delivery';
import { previousAttributes } from './events/diff';
import { newId } from './ids';
import type { Store } from './store';
import { API_VERSION, type EventObject, type EventPayload, type EventType, type WireObject } from './types';

/** The API request behind an event (`event.request`); null ids for automatic changes. */
export interface RequestRef {
  id: string | null;
  idempotency_key: string | null;
}

/**
 * One operation (an API request, a hosted-page submit, a background tick). It collects the
 * events it emits; the server hands them to delivery only after the response has been sent.
 */
export class Op {
  readonly batch: PendingEvent[] = [];

  constructor(
    readonly emu: Emulator,
    readonly request: RequestRef = { id: null, idempotency_key: null },
  ) {}

  get store(): Store {
    return this.emu.store;
  }

  now(): number {
    return this.emu.clock.now();
  }

  /** Records an event (payload frozen as it is now) for the endpoints subscribed to its type. */
  emit<T extends EventType>(type: T, object: EventPayload<T> & WireObject, previous?: Record<string, unknown>): EventObject {
    const endpoints = this.store.objects.webhook_endpoint
      .values()
      .filter((e) => e.status === 'enabled' && (e.enabled_events.includes('*') || e.enabled_events.includes(type)))
      .map((e) => e.id);
    const data: EventObject['data'] = { object: structuredClone(object) };
    if (previous) data.previous_attributes = previous;
    const event: EventObject = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.now(),
      data,
      livemode: false,
      pending_webhooks: endpoints.length,
      request: { ...this.request },
      type,
    };
    this.store.objects.event.set(event);
    this.batch.push({ event, endpoints });
    return event;
  }

  /** Emits `type` with `previous_attributes` if anything changed between the two snapshots. */
  emitUpdated<T extends EventType>(type: T, before: EventPayload<T> & WireObject, after: EventPayload<T> & WireObject): void {
    const previous = previousAttributes(before, after);
    if (previous) this.emit(type, after, previous);
  }
}
