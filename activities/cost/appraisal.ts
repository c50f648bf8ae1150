import type { Projection } from '../../domain/cost.ts';
import { dec, type Dec, div, quantize, stored, sumOf } from '../../domain/decimal.ts';
import type { Economics } from '../../domain/economics.ts';

export const DEFAULT_OPERATING_DAYS = 365;

/**
 * The annual projection: the horizon's figures × operating days a year ÷ horizon days (a DST day
 * counts as one day), assuming every operating day is like the planned one.
 */
export function projectYear(totals: { baseline: Dec; optimized: Dec; horizonDays: number }, economics: Economics | undefined): Projection {
  const days = economics?.operatingDaysPerYear ?? DEFAULT_OPERATING_DAYS;
  const perYear = (x: Dec) => div(x.times(days), totals.horizonDays);
  const savings = totals.baseline.minus(totals.optimized);
  const annualSavings = perYear(savings);
  const investment = economics?.investment;
  return {
    horizonDays: totals.horizonDays,
    operatingDaysPerYear: days,
    dailySavings: stored(div(savings, totals.horizonDays)),
    annualSavings: stored(annualSavings),
    annualBaselineCost: stored(perYear(totals.baseline)),
    annualOptimizedCost: stored(perYear(totals.optimized)),
    investment: investment
      ? {
          amount: stored(dec(investment.amount)),
          discountRatePercent: stored(dec(investment.discountRatePercent)),
          lifetimeYears: investment.lifetimeYears,
          paybackYears: annualSavings.greaterThan(0) ? stored(div(investment.amount, annualSavings)) : null,
          npv: stored(
            netPresentValue(dec(investment.amount), annualSavings, dec(investment.discountRatePercent).div(100), investment.lifetimeYears),
          ),
          irrPercent: nullable(internalRateOfReturn(dec(investment.amount), annualSavings, investment.lifetimeYears), (r) =>
            stored(quantize(r.times(100))),
          ),
        }
      : null,
  };
}

const nullable = <T, U>(x: T | null, f: (x: T) => U): U | null => (x === null ? null : f(x));

/**
 * NPV = −I + Σ_{t=1..N} A / (1 + r)^t: the investment paid at the start, the annual savings A at
 * the end of each of N years, discounted at the yearly rate r (a fraction).
 */
export function netPresentValue(investment: Dec, annualSavings: Dec, rate: Dec, years: number): Dec {
  const discounted = Array.from({ length: years }, (_, k) => div(annualSavings, rate.plus(1).pow(k + 1)));
  return sumOf(discounted).minus(investment);
}

/**
 * IRR: the rate r > −1 at which the NPV above is zero, found by bisection to 1e-12. With savings
 * A > 0 the NPV falls strictly as r rises, so there is exactly one; with A ≤ 0 there is none (null),
 * nor above 1,000,000 (a payback of well under a day).
 */
export function internalRateOfReturn(investment: Dec, annualSavings: Dec, years: number): Dec | null {
  if (!annualSavings.greaterThan(0)) return null;
  let lo = dec('-0.999999999999');
  let hi = dec(1_000_000);
  if (netPresentValue(investment, annualSavings, hi, years).greaterThan(0)) return null;
  const tolerance = dec('1e-12');
  while (hi.minus(lo).greaterThan(tolerance)) {
    const mid = lo.plus(hi).div(2);
    if (netPresentValue(investment, annualSavings, mid, years).greaterThan(0)) lo = mid;
    else hi = mid;
  }
  return lo.plus(hi).div(2);
}
