import { DateTime } from 'luxon';
import type { PlanLedger } from '../../domain/cost.ts';
import { dec, type Dec, div, maxOf, mul, stored, sumOf } from '../../domain/decimal.ts';
import type { PlanningProblem } from '../../domain/problem.ts';

/**
 * Each demand charge in each billing period the horizon touches: the plan's highest interval
 * average over the charge's intervals (Σ minutes × kW / interval minutes, exact), the period's
 * floor (its peak so far, the ratchet), the kW billed, and what the plan adds: rate × the kW it
 * raises the period's demand by. `periodCharge` is the whole period's charge at the billed kW.
 */
export function demandLines(problem: PlanningProblem, loadKw: Dec[]): PlanLedger['demand'] {
  const { intervals, determinants } = problem.demand;
  const averages = intervals.map((i) => div(sumOf(i.slots.map(([slot, minutes]) => loadKw[slot].times(minutes))), i.minutes));
  return determinants.map((d) => {
    const peak = maxOf(d.intervals.map((k) => averages[k]));
    const peakAt = intervals[d.intervals.find((k) => averages[k].equals(peak))!].localStart;
    const floor = dec(d.floor.floorKw);
    const billed = maxOf([peak, floor]);
    const rate = dec(d.rate);
    return {
      key: d.key,
      label: d.label,
      billingPeriod: d.billingPeriod,
      peakKw: stored(peak),
      peakAt,
      floorKw: stored(floor),
      floorSource: d.floor.source,
      floorDetail: d.floor.detail,
      billedKw: stored(billed),
      raisedKw: stored(billed.minus(floor)),
      rate: stored(rate),
      cost: stored(mul(billed.minus(floor), rate)),
      periodCharge: stored(mul(billed, rate)),
    };
  });
}

/**
 * Fixed charges over the horizon's local days: a daily charge once per day; a monthly one
 * prorated, amount × days / days in that month (so February 2028 bills 1/29 a day).
 */
export function fixedChargeLines(problem: PlanningProblem): PlanLedger['fixed'] {
  const months = horizonMonths(problem);
  return problem.tariff.fixedCharges.map((charge) => {
    const amount = dec(charge.amount);
    const cost = months.reduce(
      (sum, m) => sum.plus(charge.per === 'day' ? mul(amount, m.days) : div(amount.times(m.days), m.daysInMonth)),
      dec(0),
    );
    return { name: charge.name, per: charge.per, amount: stored(amount), months, cost: stored(cost) };
  });
}

/** The horizon's local days counted per calendar month. */
function horizonMonths(problem: PlanningProblem): { month: string; days: number; daysInMonth: number }[] {
  const { grid } = problem;
  const last = DateTime.fromISO(grid.endUtc, { zone: grid.timeZone });
  const months: { month: string; days: number; daysInMonth: number }[] = [];
  for (let day = DateTime.fromISO(grid.startUtc, { zone: grid.timeZone }).startOf('day'); day < last; day = day.plus({ days: 1 })) {
    const month = day.toFormat('yyyy-MM');
    const entry = months.at(-1);
    if (entry?.month === month) entry.days += 1;
    else months.push({ month, days: 1, daysInMonth: day.daysInMonth! });
  }
  return months;
}
