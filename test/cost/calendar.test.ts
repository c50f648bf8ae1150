import { describe, expect, it } from 'vitest';
import { pricePlanExact } from '../../activities/cost/ledger.ts';
import type { RunRequestInput } from '../../domain/run-request.ts';
import type { TariffInput } from '../../domain/tariff.ts';
import { HAND_TARIFF, problemFromRequest } from '../support/problem.ts';

const E1 = { id: 'E1', name: 'Electric 1', type: 'electric', capacityKw: 100, efficiency: 1 } as const;

/** Chicago: off-peak 0.05 before 07:00 and from 19:00, on-peak 0.15 in between. */
const CHICAGO: TariffInput = {
  name: 'Chicago ToU',
  timeZone: 'America/Chicago',
  effectiveDate: '2026-01-01',
  periods: [
    { start: '00:00', end: '07:00', energyRate: 0.05, category: 'off-peak' },
    { start: '07:00', end: '19:00', energyRate: 0.15, category: 'on-peak' },
    { start: '19:00', end: '00:00', energyRate: 0.05, category: 'off-peak' },
  ],
  fixedCharges: [{ name: 'Meter', amount: 5, per: 'day' }],
};

function day(date: string, timeZone: string, tariff: TariffInput, horizonDays = 1): RunRequestInput {
  const job = {
    id: 'J',
    product: 'batch',
    quantity: 1,
    unit: 'lot',
    heatingKwh: 200,
    earliestStart: `${date}T00:00`,
    deadline: `${date}T23:00`,
  };
  return {
    schedule: { tenant: 'test', site: 'cal', scheduleDate: date, timeZone, horizonDays, jobs: [job] },
    tariff,
    equipment: [E1],
    settings: { slotMinutes: 60, baseLoadKw: 10 },
  };
}

const baseLoadOf = (request: RunRequestInput) => pricePlanExact(problemFromRequest(request), []);

describe('DST days', () => {
  it('bills the 23 hours of the spring-forward day (02:00-03:00 does not exist)', () => {
    const ledger = baseLoadOf(day('2026-03-08', 'America/Chicago', CHICAGO));
    expect(ledger.loadProfileKw).toHaveLength(23);
    // off-peak 00-02 and 03-07 (6 h) plus 19-24 (5 h) = 11 h × 10 kW × 0.05; on-peak 12 h × 10 kW × 0.15.
    expect(ledger.baseLoad.lines).toEqual([
      { category: 'off-peak', rate: '0.05', hours: '11', kwh: '110', cost: '5.5' },
      { category: 'on-peak', rate: '0.15', hours: '12', kwh: '120', cost: '18' },
    ]);
    expect(ledger.fixed[0]).toMatchObject({ months: [{ month: '2026-03', days: 1, daysInMonth: 31 }], cost: '5' });
    expect(ledger.totals.total).toBe('28.5');
  });

  it('bills the 25 hours of the fall-back day (01:00-02:00 twice)', () => {
    const ledger = baseLoadOf(day('2026-11-01', 'America/Chicago', CHICAGO));
    expect(ledger.loadProfileKw).toHaveLength(25);
    expect(ledger.baseLoad.lines).toEqual([
      { category: 'off-peak', rate: '0.05', hours: '13', kwh: '130', cost: '6.5' },
      { category: 'on-peak', rate: '0.15', hours: '12', kwh: '120', cost: '18' },
    ]);
    expect(ledger.totals.total).toBe('29.5');
  });

  it('prices a run across the missing hour by the slots it really takes (01:00 and 03:00 local)', () => {
    const problem = problemFromRequest(day('2026-03-08', 'America/Chicago', CHICAGO));
    const [run] = pricePlanExact(problem, [{ jobId: 'J', equipmentId: 'E1', startSlot: 1, endSlot: 3 }]).runs;
    expect(run.electricity).toEqual([
      { from: '2026-03-08T01:00', slots: 2, category: 'off-peak', efficiency: '1', kwh: '200', rate: '0.05', cost: '10' },
    ]);
    expect(problem.slots[2].localStart).toBe('2026-03-08T03:00');
  });
});

describe('year and leap-day boundaries', () => {
  const monthly: TariffInput = {
    ...HAND_TARIFF,
    holidays: ['2027-01-01'],
    periods: [...HAND_TARIFF.periods, { dayType: 'holiday', start: '00:00', end: '00:00', energyRate: 0.05, category: 'off-peak' }],
    fixedCharges: [
      { name: 'Customer charge', amount: 310, per: 'month' },
      { name: 'Meter', amount: 5, per: 'day' },
    ],
  };

  it('prorates a monthly charge per month across New Year and prices the holiday at its own rate', () => {
    const ledger = baseLoadOf(day('2026-12-31', 'UTC', monthly, 2));
    expect(ledger.fixed).toEqual([
      {
        name: 'Customer charge',
        per: 'month',
        amount: '310',
        months: [
          { month: '2026-12', days: 1, daysInMonth: 31 },
          { month: '2027-01', days: 1, daysInMonth: 31 },
        ],
        cost: '20', // 310 / 31 + 310 / 31
      },
      {
        name: 'Meter',
        per: 'day',
        amount: '5',
        months: [
          { month: '2026-12', days: 1, daysInMonth: 31 },
          { month: '2027-01', days: 1, daysInMonth: 31 },
        ],
        cost: '10',
      },
    ]);
    // 31 Dec (a Thursday): 8 h each at 0.10, 0.20, 0.40; 1 Jan (holiday): 24 h at 0.05.
    expect(ledger.baseLoad.lines).toEqual([
      { category: 'off-peak', rate: '0.1', hours: '8', kwh: '80', cost: '8' },
      { category: 'mid-peak', rate: '0.2', hours: '8', kwh: '80', cost: '16' },
      { category: 'on-peak', rate: '0.4', hours: '8', kwh: '80', cost: '32' },
      { category: 'off-peak', rate: '0.05', hours: '24', kwh: '240', cost: '12' },
    ]);
  });

  it('counts 29 February: a monthly 290 bills 20 for 28-29 February 2028, and 310/29 + 310/31 across 1 March', () => {
    const feb = baseLoadOf(day('2028-02-28', 'UTC', { ...monthly, fixedCharges: [{ name: 'C', amount: 290, per: 'month' }] }, 2));
    expect(feb.fixed[0]).toMatchObject({ months: [{ month: '2028-02', days: 2, daysInMonth: 29 }], cost: '20' });
    expect(feb.loadProfileKw).toHaveLength(48);
    const across = baseLoadOf(day('2028-02-29', 'UTC', { ...monthly, fixedCharges: [{ name: 'C', amount: 310, per: 'month' }] }, 2));
    expect(across.fixed[0].months).toEqual([
      { month: '2028-02', days: 1, daysInMonth: 29 },
      { month: '2028-03', days: 1, daysInMonth: 31 },
    ]);
    expect(across.fixed[0].cost).toBe('20.6896551724'); // 10.6896551724 (310/29, held to 10 places) + 10
  });
});
