import { describe, expect, it } from 'vitest';
import { internalRateOfReturn, netPresentValue, projectYear } from '../../activities/cost/appraisal.ts';
import { dec } from '../../domain/decimal.ts';

describe('NPV = −I + Σ A / (1 + r)^t', () => {
  it('matches the hand calculation: 10,000 invested, 3,000 a year for 5 years at 8 %', () => {
    // 3000/1.08 + 3000/1.1664 + 3000/1.259712 + 3000/1.36048896 + 3000/1.4693280768
    // = 2777.7778 + 2572.0165 + 2381.4968 + 2205.0897 + 2041.7497 = 11,978.1301; − 10,000.
    expect(netPresentValue(dec(10_000), dec(3000), dec('0.08'), 5).toFixed(4)).toBe('1978.1301');
  });

  it('at 0 % is the undiscounted sum, and is negative when the savings do not repay the investment', () => {
    expect(netPresentValue(dec(10_000), dec(3000), dec(0), 5).toFixed()).toBe('5000');
    expect(netPresentValue(dec(10_000), dec(1000), dec(0), 5).toFixed()).toBe('-5000');
  });
});

describe('IRR: the rate at which the NPV is zero', () => {
  it('is 10 % for 1,000 returning 1,100 after a year, and 20 % for 880 returning 576 twice', () => {
    expect(internalRateOfReturn(dec(1000), dec(1100), 1)!.toFixed(9)).toBe('0.100000000');
    // 576/1.2 + 576/1.44 = 480 + 400 = 880
    expect(internalRateOfReturn(dec(880), dec(576), 2)!.toFixed(9)).toBe('0.200000000');
  });

  it('is zero when the savings only repay the investment, and negative below that', () => {
    expect(internalRateOfReturn(dec(1000), dec(1000), 1)!.abs().lessThan('1e-11')).toBe(true);
    const r = internalRateOfReturn(dec(10_000), dec(1000), 5)!;
    expect(r.toFixed(6)).toBe('-0.194019');
    expect(netPresentValue(dec(10_000), dec(1000), r, 5).abs().lessThan('1e-6')).toBe(true);
  });

  it('is 15.2382 % for the 10,000 / 3,000 × 5 case, where the NPV crosses zero', () => {
    const r = internalRateOfReturn(dec(10_000), dec(3000), 5)!;
    expect(r.times(100).toFixed(4)).toBe('15.2382');
    expect(netPresentValue(dec(10_000), dec(3000), r, 5).abs().lessThan('1e-6')).toBe(true);
  });

  it('does not exist without savings', () => {
    expect(internalRateOfReturn(dec(1000), dec(0), 5)).toBeNull();
    expect(internalRateOfReturn(dec(1000), dec(-50), 5)).toBeNull();
  });
});

describe('the annual projection', () => {
  it('scales the horizon to the operating days: 100 saved over 2 days, 250 days a year → 12,500', () => {
    const projection = projectYear(
      { baseline: dec(300), optimized: dec(200), horizonDays: 2 },
      { operatingDaysPerYear: 250, investment: { amount: 25_000, discountRatePercent: 0, lifetimeYears: 3 } },
    );
    expect(projection).toEqual({
      horizonDays: 2,
      operatingDaysPerYear: 250,
      dailySavings: '50',
      annualSavings: '12500',
      annualBaselineCost: '37500',
      annualOptimizedCost: '25000',
      investment: {
        amount: '25000',
        discountRatePercent: '0',
        lifetimeYears: 3,
        paybackYears: '2', // 25,000 / 12,500
        npv: '12500', // 3 × 12,500 − 25,000
        irrPercent: expect.stringMatching(/^23\.3751/),
      },
    });
  });

  it('defaults to 365 days and gives no payback when nothing is saved', () => {
    const projection = projectYear(
      { baseline: dec(100), optimized: dec(120), horizonDays: 1 },
      { operatingDaysPerYear: 365, investment: { amount: 1000, discountRatePercent: 5, lifetimeYears: 2 } },
    );
    expect(projection.annualSavings).toBe('-7300');
    expect(projection.investment).toMatchObject({ paybackYears: null, irrPercent: null });
    expect(projectYear({ baseline: dec(10), optimized: dec(9), horizonDays: 1 }, undefined)).toMatchObject({
      operatingDaysPerYear: 365,
      annualSavings: '365',
      investment: null,
    });
  });
});
