import { applyPromotionCode } from './billing/checkout-discounts';
import { parseBillingSettings } from './billing/settings';
import { enterCustomerTime } from './billing/time';
import type { Emulator } from './emulator';
import { NO_CHAOS, type ChaosSettings } from './events/delivery';
import { dashboardPage } from './pages/dashboard';
import { submitCard, successUrl } from './payments/checkout';
import { resolveThreeDSecure } from './payments/engine';
import { resolveSetupChallenge } from './payments/setup';
import { html, json, type HttpCall } from './router';
import type { Json } from './types';
import { invalidRequest, paramError, resourceMissing } from './wire/errors';

/** Chaos as callers give it: `delayMs` may be one number or a [min, max] range. */
export interface ChaosInput {
  duplicate?: number;
  reorder?: boolean;
  delayMs?: number | [number, number];
  apiDelayMs?: number;
  concurrency?: number;
  failRate?: number;
  hold?: string[];
}

function number(value: Json | undefined, param: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > max)
    throw paramError(`Invalid ${param}: ${String(value)}`, param);
  return parsed;
}

/** Validates chaos settings from `startEmulator` or a JSON/form body; missing fields mean "off". */
export function parseChaos(input: ChaosInput | Record<string, Json>): ChaosSettings {
  const source: Record<string, Json | undefined> = { ...input };
  const known = ['duplicate', 'reorder', 'delayMs', 'apiDelayMs', 'concurrency', 'failRate', 'hold'];
  for (const key of Object.keys(source))
    if (!known.includes(key)) throw paramError(`Received unknown parameter: ${key}`, key);
  const duplicate = number(source.duplicate, 'duplicate', 10) ?? 0;
  if (duplicate > 1 && !Number.isInteger(duplicate))
    throw paramError('duplicate above 1 must be a whole number of copies', 'duplicate');
  const reorder = source.reorder === true || source.reorder === 'true';
  const delay = source.delayMs;
  let delayMs: [number, number] = [0, 0];
  if (Array.isArray(delay)) {
    const [min, max] = [number(delay[0], 'delayMs[0]') ?? 0, number(delay[1], 'delayMs[1]') ?? 0];
    delayMs = [Math.min(min, max), Math.max(min, max)];
  } else if (delay !== undefined) {
    const fixed = number(delay, 'delayMs') ?? 0;
    delayMs = [fixed, fixed];
  }
  return {
    ...NO_CHAOS,
    duplicate,
    reorder,
    delayMs,
    apiDelayMs: number(source.apiDelayMs, 'apiDelayMs') ?? 0,
    concurrency: Math.max(1, Math.floor(number(source.concurrency, 'concurrency', 64) ?? 1)),
    failRate: number(source.failRate, 'failRate', 1) ?? 0,
    hold: parseHold(source.hold),
  };
}

function parseHold(value: Json | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((item): item is string => typeof item === 'string' && item.length > 0 && item.length < 256))
    throw paramError('hold must be a list of event ids or types', 'hold');
  return list;
}

const str = (value: Json | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

async function waitIdle(call: HttpCall) {
  const timeout = number(call.body.timeout_ms ?? call.query.timeout_ms, 'timeout_ms') ?? 30_000;
  const idle = await call.emu.deliveries.waitIdle(timeout);
  return json({ idle, pending: call.emu.deliveries.pendingCount() }, idle ? 200 : 504);
}

/** Emulator-only endpoints (no API key): test helpers, not part of Stripe's API. */
export function registerControl(emu: Emulator): void {
  const add = (
    method: 'GET' | 'POST',
    path: string,
    handler: (call: HttpCall) => ReturnType<typeof json> | Promise<ReturnType<typeof json>>,
  ) => emu.pages.add({ method, path, handler });

  add('GET', '/_emulator', () => html(dashboardPage(emu)));
  add('GET', '/_emulator/deliveries.html', () => html(dashboardPage(emu)));
  add('GET', '/_emulator/health', () => json({ ok: true, url: emu.baseUrl }));
  add('GET', '/_emulator/deliveries', ({ query }) => {
    const data = [...emu.deliveries.log]
      .reverse()
      .filter(
        (a) =>
          (query.event_id === undefined || a.event_id === query.event_id) &&
          (query.endpoint_id === undefined || a.endpoint_id === query.endpoint_id) &&
          (query.status === undefined || a.status === query.status),
      );
    return json({ object: 'list', pending: emu.deliveries.pendingCount(), data });
  });
  add('POST', '/_emulator/reset', () => {
    emu.reset();
    return json({ ok: true });
  });
  add('GET', '/_emulator/chaos', () => json(emu.chaos));
  add('POST', '/_emulator/chaos', ({ body }) => {
    emu.chaos = parseChaos(body);
    return json(emu.chaos);
  });
  add('POST', '/_emulator/chaos/release', ({ body }) => {
    const ids = body.events === undefined ? undefined : parseHold(body.events);
    const released = emu.deliveries.release(ids);
    return json({ released, held: emu.deliveries.heldEvents() });
  });
  add('GET', '/_emulator/chaos/held', () => json({ held: emu.deliveries.heldEvents() }));
  add('POST', '/_emulator/flush', waitIdle);
  add('GET', '/_emulator/idle', waitIdle);
  add('GET', '/_emulator/settings', () => json(emu.billing.settings));
  add('POST', '/_emulator/settings', ({ body }) => {
    emu.billing.settings = parseBillingSettings(body, emu.billing.settings);
    return json(emu.billing.settings);
  });
  // The one dev convenience: moves the emulator's own clock and runs, in time order, everything
  // that time brings for customers not on a test clock (renewals, trials, retries, expiry).
  add('POST', '/_emulator/clock/advance', ({ body }) => {
    const seconds = number(body.seconds, 'seconds');
    if (seconds === undefined)
      throw paramError('Missing required param: seconds.', 'seconds', 'parameter_missing');
    emu.tick();
    emu.clock.advance(seconds);
    emu.tick();
    return json({ now: emu.clock.now() });
  });
  add('POST', '/_emulator/checkout/sessions/:id/pay', ({ op, params, body }) => {
    const session = emu.store.objects['checkout.session'].get(params.id ?? '');
    if (!session) throw resourceMissing('checkout.session', params.id ?? '', 'id', 404);
    if (session.status !== 'open') {
      return json(
        {
          status: 'error',
          redirect_url: null,
          error: { message: `This Checkout Session is ${session.status}.` },
        },
        400,
      );
    }
    const card = str(body.card) ?? str(body.number);
    if (!card) throw paramError('Missing required param: card.', 'card', 'parameter_missing');
    const code = str(body.promotion_code);
    const problem = code === undefined ? null : applyPromotionCode(op, session, code);
    if (problem)
      return json(
        {
          status: 'invalid',
          redirect_url: null,
          error: { type: 'invalid_request_error', code: 'promotion_code_invalid', message: problem },
        },
        400,
      );
    const year = new Date().getUTCFullYear() + 3;
    const result = submitCard(op, session, {
      number: card,
      email: str(body.email),
      name: str(body.name),
      expiry: str(body.exp) ?? `12/${year}`,
      cvc: str(body.cvc) ?? '123',
    });
    if (result.status === 'complete')
      return json({ status: 'complete', redirect_url: successUrl(emu, session) });
    if (result.status === 'requires_action') {
      return json({
        status: 'requires_action',
        redirect_url: result.url,
        payment_intent: result.payment_intent ?? null,
        setup_intent: result.setup_intent ?? null,
      });
    }
    const error = result.error;
    const details =
      'type' in error
        ? { type: error.type, decline_code: error.decline_code }
        : { type: 'invalid_request_error' };
    return json(
      {
        status: result.status,
        redirect_url: null,
        error: { ...details, code: error.code, message: error.message },
      },
      result.status === 'failed' ? 402 : 400,
    );
  });
  add('POST', '/_emulator/payment_intents/:id/3ds', ({ op, params, body }) => {
    const pi = emu.store.objects.payment_intent.get(params.id ?? '');
    if (!pi) throw resourceMissing('payment_intent', params.id ?? '', 'id', 404);
    const outcome = body.outcome;
    if (outcome !== 'complete' && outcome !== 'fail')
      throw invalidRequest("outcome must be 'complete' or 'fail'", { param: 'outcome' });
    const next = resolveThreeDSecure(op, pi, outcome);
    const session = emu.store.objects['checkout.session'].values().find((s) => s.payment_intent === pi.id);
    const redirectUrl = session
      ? session.status === 'complete'
        ? successUrl(emu, session)
        : session.url
      : next;
    return json({ status: pi.status, redirect_url: redirectUrl, last_payment_error: pi.last_payment_error });
  });
  add('POST', '/_emulator/setup_intents/:id/3ds', ({ op, params, body }) => {
    const si = emu.store.objects.setup_intent.get(params.id ?? '');
    if (!si) throw resourceMissing('setup_intent', params.id ?? '', 'id', 404);
    const outcome = body.outcome;
    if (outcome !== 'complete' && outcome !== 'fail')
      throw invalidRequest("outcome must be 'complete' or 'fail'", { param: 'outcome' });
    enterCustomerTime(op, si.customer);
    const session = emu.store.objects['checkout.session'].values().find((s) => s.setup_intent === si.id);
    const next = resolveSetupChallenge(op, si, outcome);
    // For Checkout (a trial or setup mode): the success URL, or back to the session page.
    const redirectUrl = session
      ? session.status === 'complete'
        ? successUrl(emu, session)
        : session.url
      : next;
    return json({ status: si.status, redirect_url: redirectUrl, last_setup_error: si.last_setup_error });
  });
}
