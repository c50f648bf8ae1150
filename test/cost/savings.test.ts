import { describe, expect, it } from 'vitest';
import { pricePlanExact } from '../../activities/cost/ledger.ts';
import { splitSavings } from '../../activities/cost/savings.ts';
import { costStatement } from '../../activities/cost/statement.ts';
import { CostStatementSchema } from '../../domain/cost.ts';
import { dec, sumOf } from '../../domain/decimal.ts';
import type { RunRequestInput } from '../../domain/run-request.ts';
import type { TariffInput } from '../../domain/tariff.ts';
import { handJob, problemFromRequest } from '../support/problem.ts';
import { E1, E2, G1 as G1_5 } from './heaters.ts';

/** Mornings are dear (0.30/kWh and 10/kW of demand until noon), afternoons cheap (0.10). UTC, 1-h slots. */
const SPLIT_TARIFF: TariffInput = {
  name: 'Split day',
  timeZone: 'UTC',
  currency: 'USD',
  effectiveDate: '2026-01-01',
  periods: [
    { start: '00:00', end: '12:00', energyRate: 0.3, demandRate: 10, category: 'on-peak' },
    { start: '12:00', end: '00:00', energyRate: 0.1, category: 'off-peak' },
  ],
};

/** The gas boiler with a dearer cold start (10 kWh). */
const G1 = { ...G1_5, startupEnergyKwh: 10 };

const allDay = (id: string, allowedEquipment: string[], earliest = '00:00') => ({
  ...handJob(id, 100, earliest, '00:00', { allowedEquipment }),
  deadline: '2026-03-03T00:00:00Z',
});

function request(jobs: ReturnType<typeof allDay>[], tariff = SPLIT_TARIFF, settings: RunRequestInput['settings'] = {}): RunRequestInput {
  return {
    schedule: { tenant: 'test', site: 'hand', scheduleDate: '2026-03-02', timeZone: 'UTC', jobs },
    tariff,
    equipment: [E1, E2, G1],
    settings: { slotMinutes: 60, ...settings },
  };
}

// FIFO runs A on E1 and B on E2 at 00:00 (200 kW in the dear morning). The optimised plan moves A
// to 12:00 on E1 and B to the gas boiler at 00:00.
const jobs = [allDay('A', ['E1']), allDay('B', ['E2', 'G1'])];
const optimised = [
  { jobId: 'A', equipmentId: 'E1', startSlot: 12, endSlot: 13 },
  { jobId: 'B', equipmentId: 'G1', startSlot: 0, endSlot: 2 },
];

describe('savings by cause', () => {
  it('splits the savings step by step, with the figures each part comes from, and the parts add up to the total', () => {
    const statement = costStatement(problemFromRequest(request(jobs)), { assignments: optimised });
    expect(statement.baselineAssignments.map((a) => [a.jobId, a.equipmentId, a.startSlot])).toEqual([
      ['A', 'E1', 0],
      ['B', 'E2', 0],
    ]);
    // Baseline: energy 2 × 100 × 0.30 = 60, start-up 2 × 0.30 = 0.6, demand 200 kW × 10 = 2000: 2060.6.
    // Optimised: A 100 × 0.10 = 10 (+ 0.2 start), B 125 kWh gas × 0.09 = 11.25 (+ 10 × 0.09 = 0.9), no morning demand: 22.35.
    expect(statement.baseline.totals.total).toBe('2060.6');
    expect(statement.optimized.totals.total).toBe('22.35');
    const { savings } = statement;
    expect(savings.amount).toBe('2038.25');
    expect(savings.percent).toBe('98.915364457'); // 2038.25 / 2060.6 × 100, held to 10 places
    expect(savings.shifted).toEqual([
      { jobId: 'A', equipmentId: 'E1', startSlot: 12, energyCost: '10' }, // A stays on E1, at 12:00
      { jobId: 'B', equipmentId: 'E2', startSlot: 0, energyCost: '30' }, // B stays on E2, at 00:00
    ]);
    expect(savings.byCause.map((c) => [c.cause, c.amount, c.inputs])).toEqual([
      ['time_of_use_shift', '20', { E0: '60', Eshift: '40' }],
      ['equipment_choice', '18.75', { Eshift: '40', E1: '21.25' }],
      ['peak_shaving', '2000', { D0: '2000', D1: '0' }],
      ['startups', '-0.5', { S0: '0.6', S1: '1.1' }], // the boiler's cold start costs more than E1's
    ]);
    expect(sumOf(savings.byCause.map((c) => dec(c.amount))).toFixed()).toBe(savings.amount);
    expect(savings.byCause.every((c) => c.method.length > 20)).toBe(true);
    expect(CostStatementSchema.parse(statement)).toEqual(statement);
  });

  it('reports negative savings when the plan costs more, cause by cause', () => {
    // C may start at noon (FIFO: 12:00, 10 + 0.2); the plan runs it at 11:00, as an operator's lock would.
    const problem = problemFromRequest(request([allDay('C', ['E1'], '12:00')]));
    const statement = costStatement(problem, { assignments: [{ jobId: 'C', equipmentId: 'E1', startSlot: 11, endSlot: 12 }] });
    expect(statement.baseline.totals.total).toBe('10.2');
    expect(statement.optimized.totals.total).toBe('1030.6'); // 30 + 0.6 + 100 kW × 10
    expect(statement.savings.amount).toBe('-1020.4');
    expect(statement.savings.percent).toBe('-10003.9215686275');
    expect(statement.savings.byCause.map((c) => [c.cause, c.amount])).toEqual([
      ['time_of_use_shift', '-20'],
      ['equipment_choice', '0'],
      ['peak_shaving', '-1000'],
      ['startups', '-0.4'],
    ]);
    expect(statement.projection.annualSavings).toBe('-372446'); // -1020.4 × 365
    expect(statement.projection.investment).toBeNull();
  });

  it('with a zero baseline gives no percentage, and work only the optimised plan does is its own cause', () => {
    const free: TariffInput = { ...SPLIT_TARIFF, periods: [{ start: '00:00', end: '00:00', energyRate: 0, category: 'off-peak' }] };
    const problem = problemFromRequest(request(jobs, free));
    const baseline = pricePlanExact(problem, [{ jobId: 'A', equipmentId: 'E1', startSlot: 0, endSlot: 1 }]);
    const optimizedLedger = pricePlanExact(problem, [{ jobId: 'A', equipmentId: 'E1', startSlot: 0, endSlot: 1 }, optimised[1]]);
    expect(baseline.totals.total).toBe('0');
    const savings = splitSavings(problem, baseline, optimizedLedger);
    expect(savings.amount).toBe('-12.15'); // B on gas: 11.25 + 0.9, which the baseline never ran
    expect(savings.percent).toBeNull();
    expect(savings.byCause.map((c) => [c.cause, c.amount])).toEqual([
      ['time_of_use_shift', '0'],
      ['equipment_choice', '0'],
      ['peak_shaving', '0'],
      ['startups', '0'],
      ['unmatched_work', '-12.15'],
    ]);
  });

  it('refuses to split plans priced on different sites, whose parts could not add up', () => {
    const problem = problemFromRequest(request(jobs));
    const other = problemFromRequest(request(jobs, SPLIT_TARIFF, { baseLoadKw: 5 }));
    expect(() => splitSavings(problem, pricePlanExact(other, optimised), pricePlanExact(problem, optimised))).toThrow(
      /savings by cause add up to [-\d.]+, not to the total [-\d.]+: the plans were priced on different sites/,
    );
  });
});

describe('CO2 and the annual projection in the statement', () => {
  const settings: RunRequestInput['settings'] = {
    emissions: { gridKgCo2PerKwh: 0.4, fuelKgCo2PerKwh: { natural_gas: 0.2 } },
    economics: { operatingDaysPerYear: 250, investment: { amount: 100_000, discountRatePercent: 8, lifetimeYears: 5 } },
  };

  it('prices CO2 per fuel with the factors given (start-ups included)', () => {
    const { emissions } = costStatement(problemFromRequest(request(jobs, SPLIT_TARIFF, settings)), { assignments: optimised });
    expect(emissions).toEqual({
      // Baseline: 200 kWh + E1's 2 kWh start-up, all electric: 202 × 0.4.
      baseline: {
        byFuel: [
          { fuel: 'electricity', kwh: '202', kgCo2PerKwh: '0.4', kgCo2: '80.8' },
          { fuel: 'natural_gas', kwh: '0', kgCo2PerKwh: '0.2', kgCo2: '0' },
        ],
        kgCo2: '80.8',
        complete: true,
      },
      // Optimised: 102 kWh electric × 0.4 = 40.8; 125 + 10 kWh gas × 0.2 = 27.
      optimized: {
        byFuel: [
          { fuel: 'electricity', kwh: '102', kgCo2PerKwh: '0.4', kgCo2: '40.8' },
          { fuel: 'natural_gas', kwh: '135', kgCo2PerKwh: '0.2', kgCo2: '27' },
        ],
        kgCo2: '67.8',
        complete: true,
      },
      savedKgCo2: '13',
    });
  });

  it('leaves out CO2 of a fuel without a factor and says the total is incomplete; none at all without factors', () => {
    const gridOnly = costStatement(problemFromRequest(request(jobs, SPLIT_TARIFF, { emissions: { gridKgCo2PerKwh: 0.4 } })), {
      assignments: optimised,
    });
    expect(gridOnly.emissions!.optimized).toMatchObject({ kgCo2: '40.8', complete: false });
    expect(gridOnly.emissions!.optimized.byFuel[1]).toEqual({ fuel: 'natural_gas', kwh: '135', kgCo2PerKwh: null, kgCo2: null });
    expect(gridOnly.emissions!.baseline.complete).toBe(true); // the baseline burnt no gas
    expect(costStatement(problemFromRequest(request(jobs)), { assignments: optimised }).emissions).toBeNull();
  });

  it('projects the day to the operating days and appraises the investment', () => {
    const { projection } = costStatement(problemFromRequest(request(jobs, SPLIT_TARIFF, settings)), { assignments: optimised });
    expect(projection).toMatchObject({
      horizonDays: 1,
      operatingDaysPerYear: 250,
      dailySavings: '2038.25',
      annualSavings: '509562.5', // 2038.25 × 250
      annualBaselineCost: '515150', // 2060.6 × 250
      annualOptimizedCost: '5587.5', // 22.35 × 250
    });
    const investment = projection.investment!;
    expect(investment.paybackYears).toBe('0.1962467803'); // 100,000 / 509,562.5
    // 509,562.5 × (1/1.08 + 1/1.08² + … + 1/1.08⁵) − 100,000 = 509,562.5 × 3.992710037 − 100,000
    expect(Number(investment.npv)).toBeCloseTo(1_934_535.31, 2);
    expect(Number(investment.irrPercent)).toBeGreaterThan(500);
  });
});
