import { newId } from '../ids';
import type { Op } from '../op';
import type { Full, PriceObject } from '../types';
import { paramError } from '../wire/errors';
import type { PriceCore } from './catalog-params';

function unitAmount(core: PriceCore, parent: string | undefined): number {
  const param = (name: string) => (parent ? `${parent}[${name}]` : name);
  if (core.unit_amount !== undefined) return core.unit_amount;
  if (core.unit_amount_decimal !== undefined) {
    if (!/^\d+$/.test(core.unit_amount_decimal)) {
      throw paramError(
        'The emulator supports only whole-number unit_amount_decimal values.',
        param('unit_amount_decimal'),
      );
    }
    return Number(core.unit_amount_decimal);
  }
  throw paramError(
    `Missing required param: ${param('unit_amount')}.`,
    param('unit_amount'),
    'parameter_missing',
  );
}

/**
 * Builds and stores a price. Inline prices (`price_data`) are inactive, left out of lists and
 * announce no event, as at Stripe. `silent` leaves `price.created` to the caller (for order).
 * `parent` names the parameter the price data came in, for error messages.
 */
export function createPrice(
  op: Op,
  core: PriceCore,
  options: {
    product: string;
    inline: boolean;
    silent?: boolean;
    parent?: string;
    extra?: Partial<PriceObject>;
  },
): PriceObject {
  const amount = unitAmount(core, options.parent);
  const price: Full<PriceObject, 'deleted' | 'currency_options' | 'tiers'> = {
    id: newId('price'),
    object: 'price',
    active: !options.inline,
    billing_scheme: 'per_unit',
    created: op.now(),
    currency: core.currency.toLowerCase(),
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: options.product,
    recurring: core.recurring
      ? {
          interval: core.recurring.interval,
          interval_count: core.recurring.interval_count ?? 1,
          meter: null,
          trial_period_days: core.recurring.trial_period_days ?? null,
          usage_type: 'licensed',
        }
      : null,
    tax_behavior: core.tax_behavior ?? 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: core.recurring ? 'recurring' : 'one_time',
    unit_amount: amount,
    unit_amount_decimal: String(amount),
    ...options.extra,
  };
  op.store.objects.price.set(price);
  if (options.inline) op.store.internal.unlisted.set({ id: price.id });
  else if (!options.silent) op.emit('price.created', price);
  return price;
}
