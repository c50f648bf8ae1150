import { describe, expect, it } from 'vitest';
import { billComponents, runEnergyCost } from '../../activities/report/format.ts';
import { dec } from '../../domain/decimal.ts';
import { plantDayWithEconomics } from './fixture.ts';

const { cost } = plantDayWithEconomics();
const sumOf = (totals: typeof cost.optimized.totals, plans = [totals]) =>
  billComponents(...plans)
    .reduce((s, [, key]) => s.plus(totals[key]), dec(0))
    .toFixed();

describe('the bill every report lists', () => {
  it('adds up to the total, and leaves hot standby out where no plan pays any', () => {
    expect(sumOf(cost.optimized.totals)).toBe(cost.optimized.totals.total);
    expect(sumOf(cost.baseline.totals)).toBe(cost.baseline.totals.total);
    expect(billComponents(cost.optimized.totals, cost.baseline.totals).map(([label]) => label)).not.toContain('Hot standby');
  });

  it('lists hot standby when a plan pays it, so its lines still add up to its total', () => {
    const withStandby = {
      ...cost.optimized.totals,
      standbyKwh: '5',
      standbyCost: '0.5',
      total: dec(cost.optimized.totals.total).plus('0.5').toFixed(),
    };
    expect(billComponents(withStandby, cost.baseline.totals).map(([label]) => label)).toContain('Hot standby');
    expect(sumOf(withStandby, [withStandby, cost.baseline.totals])).toBe(withStandby.total);
    const run = { ...cost.optimized.runs[0] };
    const energy = runEnergyCost(run);
    expect(runEnergyCost({ ...run, standby: { slots: 4, kwh: '5', cost: '0.5' }, cost: dec(run.cost).plus('0.5').toFixed() })).toBe(energy);
  });
});
