import { describe, expect, it } from 'vitest';
import {
  advance,
  DAY,
  expectEvents,
  settle,
  subscriber,
  testClock,
  harnessWithCatalog,
} from './billing-helpers';
import { pay, stripeError, submitForm } from './helpers';

const { h, plans } = harnessWithCatalog();

function session(customer?: string) {
  return h.stripe.checkout.sessions.create({
    mode: 'subscription',
    ...(customer ? { customer } : {}),
    line_items: [{ price: plans.pro.id, quantity: 1 }],
    success_url: 'https://app.example/ok',
    allow_promotion_codes: true,
  });
}

describe('coupons and promotion codes', () => {
  it('creates, finds by code and lists them', async () => {
    const coupon = await h.stripe.coupons.create({
      percent_off: 25,
      duration: 'forever',
      name: 'Quarter off',
    });
    expect(coupon).toMatchObject({
      object: 'coupon',
      percent_off: 25,
      amount_off: null,
      duration: 'forever',
      times_redeemed: 0,
      valid: true,
      max_redemptions: null,
    });
    const promo = await h.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'SAVE25',
      max_redemptions: 1,
    });
    expect(promo).toMatchObject({
      object: 'promotion_code',
      code: 'SAVE25',
      active: true,
      promotion: { type: 'coupon', coupon: coupon.id },
      times_redeemed: 0,
    });
    expect((await h.stripe.promotionCodes.list({ code: 'save25' })).data.map((p) => p.id)).toEqual([
      promo.id,
    ]);
    expect((await h.stripe.promotionCodes.list({ coupon: coupon.id, active: true })).data).toHaveLength(1);
    await expectEvents(h, ['coupon.created', 'promotion_code.created']);
    expect(
      await stripeError(
        h.stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: 'save25' }),
      ),
    ).toMatchObject({ code: 'resource_already_exists' });
    expect(
      await stripeError(h.stripe.coupons.create({ percent_off: 10, amount_off: 100, currency: 'usd' })),
    ).toMatchObject({ statusCode: 400 });
    expect(
      await stripeError(h.stripe.coupons.create({ percent_off: 10, duration: 'repeating' })),
    ).toMatchObject({ param: 'duration_in_months' });
  });

  it('applies a percent-off code in Checkout, on every invoice, up to its redemption limit', async () => {
    const coupon = await h.stripe.coupons.create({ percent_off: 25, duration: 'forever' });
    const promo = await h.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'SAVE25',
      max_redemptions: 1,
    });
    await settle(h);
    const first = await session();
    const paid = await h.post(`/_emulator/checkout/sessions/${first.id}/pay`, {
      card: '4242424242424242',
      email: 'promo@example.com',
      promotion_code: 'save25',
    });
    expect(paid.body.status).toBe('complete');
    const done = await h.stripe.checkout.sessions.retrieve(first.id);
    expect(done).toMatchObject({
      amount_subtotal: 3000,
      amount_total: 2250,
      total_details: { amount_discount: 750 },
      discounts: [{ coupon: coupon.id, promotion_code: promo.id }],
    });
    const sub = await h.stripe.subscriptions.retrieve(String(done.subscription), { expand: ['discounts'] });
    expect(sub.discounts[0]).toMatchObject({
      object: 'discount',
      promotion_code: promo.id,
      source: { type: 'coupon', coupon: coupon.id },
      subscription: sub.id,
      end: null,
    });
    const invoice = await h.stripe.invoices.retrieve(String(done.invoice));
    expect(invoice).toMatchObject({ subtotal: 3000, total: 2250, amount_paid: 2250 });
    expect(invoice.total_discount_amounts).toEqual([
      { amount: 750, discount: expect.stringMatching(/^di_/) },
    ]);
    expect(invoice.lines.data[0]?.discount_amounts).toEqual([
      { amount: 750, discount: expect.stringMatching(/^di_/) },
    ]);
    expect(await h.stripe.coupons.retrieve(coupon.id)).toMatchObject({ times_redeemed: 1, valid: true });
    expect(await h.stripe.promotionCodes.retrieve(promo.id)).toMatchObject({ times_redeemed: 1 });

    const second = await session();
    const refused = await h.post(`/_emulator/checkout/sessions/${second.id}/pay`, {
      card: '4242424242424242',
      email: 'late@example.com',
      promotion_code: 'SAVE25',
    });
    expect(refused).toMatchObject({
      status: 400,
      body: { status: 'invalid', error: { message: 'This code has reached its redemption limit.' } },
    });
    expect((await pay(h, second.id, '4242424242424242')).body.status).toBe('complete');

    await h.post('/_emulator/clock/advance', { seconds: 32 * DAY });
    const renewal = await h.stripe.invoices.retrieve(
      String((await h.stripe.subscriptions.retrieve(sub.id)).latest_invoice),
    );
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', total: 2250 });
  });

  it('takes an amount-off code once, through subscriptions.create', async () => {
    const clock = await testClock(h);
    const customer = await subscriber(h, { clock: clock.id });
    const coupon = await h.stripe.coupons.create({ amount_off: 500, currency: 'usd', duration: 'once' });
    const promo = await h.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'FIVEOFF',
    });
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.pro.id }],
      discounts: [{ promotion_code: promo.id }],
    });
    expect(await h.stripe.invoices.retrieve(String(sub.latest_invoice))).toMatchObject({
      total: 2500,
      amount_paid: 2500,
    });
    expect((await h.stripe.subscriptions.retrieve(sub.id)).discounts).toEqual([]);
    await advance(h, clock, 32 * DAY);
    const renewal = await h.stripe.invoices.retrieve(
      String((await h.stripe.subscriptions.retrieve(sub.id)).latest_invoice),
    );
    expect(renewal).toMatchObject({ total: 3000, total_discount_amounts: [] });
  });

  it('repeats a coupon for duration_in_months', async () => {
    const clock = await testClock(h);
    const customer = await subscriber(h, { clock: clock.id });
    const coupon = await h.stripe.coupons.create({
      percent_off: 50,
      duration: 'repeating',
      duration_in_months: 2,
    });
    const sub = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.basic.id }],
      discounts: [{ coupon: coupon.id }],
    });
    await advance(h, clock, 31 * DAY);
    await advance(h, clock, 28 * DAY + 60);
    const totals = (await h.stripe.invoices.list({ subscription: sub.id })).data
      .map((i) => i.total)
      .reverse();
    expect(totals).toEqual([500, 500, 1000]);
  });

  it('refuses codes that are inactive, expired or for a larger order', async () => {
    const coupon = await h.stripe.coupons.create({ percent_off: 10, duration: 'once' });
    const now = Math.floor(Date.now() / 1000);
    await h.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'SOON',
      expires_at: now + 3600,
    });
    const off = await h.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'OFF',
    });
    await h.stripe.promotionCodes.update(off.id, { active: false });
    await h.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'BIG',
      restrictions: { minimum_amount: 5000, minimum_amount_currency: 'usd' },
    });
    const s = await session();
    const tryCode = (code: string) => submitForm(`${h.emulator.url}/c/pay/${s.id}/promotion_code`, { code });
    expect(await tryCode('NOPE')).toMatchObject({
      status: 400,
      text: expect.stringContaining('This code is invalid.'),
    });
    expect(await tryCode('OFF')).toMatchObject({
      status: 400,
      text: expect.stringContaining('This code is invalid.'),
    });
    expect(await tryCode('BIG')).toMatchObject({
      status: 400,
      text: expect.stringContaining('This code requires a larger order.'),
    });
    expect((await h.stripe.checkout.sessions.retrieve(s.id)).discounts).toEqual([]);
    await h.post('/_emulator/clock/advance', { seconds: 7200 });
    const expired = await h.post(`/_emulator/checkout/sessions/${s.id}/pay`, {
      card: '4242424242424242',
      email: 'x@example.com',
      promotion_code: 'SOON',
    });
    expect(expired.body).toMatchObject({ status: 'invalid', error: { message: 'This code has expired.' } });
    const customer = await subscriber(h);
    expect(
      await stripeError(
        h.stripe.subscriptions.create({
          customer: customer.id,
          items: [{ price: plans.pro.id }],
          discounts: [{ promotion_code: off.id }],
        }),
      ),
    ).toMatchObject({ param: 'discounts[0][promotion_code]' });
    const limited = await h.stripe.coupons.create({ amount_off: 100, currency: 'usd', max_redemptions: 1 });
    await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plans.basic.id }],
      discounts: [{ coupon: limited.id }],
    });
    expect(await h.stripe.coupons.retrieve(limited.id)).toMatchObject({ times_redeemed: 1, valid: false });
    expect(
      await stripeError(
        h.stripe.subscriptions.create({
          customer: customer.id,
          items: [{ price: plans.basic.id }],
          discounts: [{ coupon: limited.id }],
        }),
      ),
    ).toMatchObject({ code: 'coupon_expired' });
  });
});
