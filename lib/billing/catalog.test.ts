import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billedSeats, planByKey, plans, seatRulesOf } from './catalog';

describe('per-seat plans in the catalog', () => {
  it('Team is per seat, invoiced at once on a change; flat plans have no seat rules', () => {
    expect(seatRulesOf(planByKey('team'))).toEqual({
      minSeats: 1,
      maxSeats: 25,
      proration: 'always_invoice',
    });
    expect(seatRulesOf(planByKey('pro'))).toBeNull();
    for (const plan of plans.filter((p) => p.perSeat)) {
      const rules = seatRulesOf(plan)!;
      expect(rules.minSeats).toBeGreaterThanOrEqual(1);
      if (rules.maxSeats !== null) expect(rules.maxSeats).toBeGreaterThanOrEqual(rules.minSeats);
    }
  });

  it('defaults proration to create_prorations, Stripe’s own default', () => {
    const plan = { ...planByKey('team')!, perSeat: { minSeats: 1, maxSeats: null } };
    expect(seatRulesOf(plan)?.proration).toBe('create_prorations');
  });

  it('property: billed seats are the member count clamped to [minSeats, maxSeats], never below 1', () => {
    fc.assert(
      fc.property(
        fc.nat(500),
        fc.integer({ min: 1, max: 50 }),
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
        (members, minSeats, extra) => {
          const maxSeats = extra === null ? null : minSeats + extra;
          const seats = billedSeats(members, { minSeats, maxSeats });
          expect(seats).toBeGreaterThanOrEqual(minSeats);
          if (maxSeats !== null) expect(seats).toBeLessThanOrEqual(maxSeats);
          if (members >= minSeats && (maxSeats === null || members <= maxSeats)) expect(seats).toBe(members);
        },
      ),
    );
  });
});
