import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, REDACTED } from './redact';

describe('redact', () => {
  it('hides a PaymentIntent client_secret wherever it sits, and keeps the rest readable', () => {
    const event = {
      id: 'evt_1',
      type: 'payment_intent.succeeded',
      data: {
        object: {
          id: 'pi_123',
          object: 'payment_intent',
          amount: 1000,
          client_secret: 'pi_123_secret_abc',
          livemode: false,
          metadata: { note: 'pi_999_secret_zzz', user: 'u_1' },
          charges: {
            data: [
              { id: 'ch_1', payment_method_details: { card: { last4: '4242', number: '4242424242424242' } } },
            ],
          },
        },
      },
    };
    const shown = JSON.stringify(redact(event));
    expect(shown).not.toContain('_secret_');
    expect(shown).not.toContain('4242424242424242');
    expect(shown).toContain('"last4":"4242"');
    expect(shown).toContain('"amount":1000');
    expect(shown).toContain('"livemode":false');
    expect((redact(event) as typeof event).data.object.client_secret).toBe(REDACTED);
  });

  it('hides keys and webhook secrets found in any field', () => {
    expect(redact({ note: 'sk_live_abc', hook: 'whsec_xyz', h: 'Bearer abc' })).toEqual({
      note: REDACTED,
      hook: REDACTED,
      h: REDACTED,
    });
    expect(redact({ password: 'hunter22', access_token: 'x', refresh_token: null })).toEqual({
      password: REDACTED,
      access_token: REDACTED,
      refresh_token: null,
    });
  });

  it('no secret string survives, however deeply it is nested', () => {
    const secret = fc.constantFrom('sk_live_ABC123', 'pi_1_secret_XyZ', 'whsec_abc', 'seti_9_secret_Q');
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        secret,
        fc.string(),
        fc.integer(),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 8 }), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(
        tree,
        (value) =>
          !/sk_live_ABC123|_secret_XyZ|whsec_abc|_secret_Q/.test(JSON.stringify(redact(value)) ?? ''),
      ),
    );
  });
});
