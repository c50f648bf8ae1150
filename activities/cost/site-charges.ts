import { DateTime } from 'luxon';
import type { PlanLedger } from '../../domain/cost.ts';
import { dec, type Dec, div, maxOf, mul, stored } from '../../domain/decimal.ts';
import type { PlanningProblem } from '../../domain/problem.ts';
import { PERIOD_CATEGORIES } from '../../domain/tariff.ts';

/**
 * Demand charges per tariff category present in the horizon: the highest site load in the
 * category, billed at least at the floor (the billing period's incumbent peak, or the ratchet's
 * percent of a past peak), at the category's demand rate (the highest, should slots disagree).
 */
export function demandLines(problem: PlanningProblem, loadKw: Dec[]): PlanLedger['demand'] {
  const { settings, slots } = problem;
  const present = PERIOD_CATEGORIES.filter((c) => slots.some((s) => s.category === c));
  return present.map((category) => {
    const mine = slots.filter((s) => s.category === category);
    const peak = maxOf(mine.map((s) => loadKw[s.slot]));
    const peakSlot = mine.find((s) => loadKw[s.slot].equals(peak))!;
    const ratchet = settings.demandRatchet ? div(mul(settings.demandRatchet.percent, settings.demandRatchet.peakKw), 100) : dec(0);
    const floor = maxOf([dec(settings.incumbentPeakKw[category] ?? 0), ratchet]);
    const billed = maxOf([peak, floor]);
    const rate = maxOf(mine.map((s) => dec(s.demandRate)));
    return {
      category,
      peakKw: stored(peak),
      peakAt: peakSlot.localStart,
      floorKw: stored(floor),
      billedKw: stored(billed),
      rate: stored(rate),
      cost: stored(mul(billed, rate)),
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
