import { DateTime } from 'luxon';

/** A billing period: local dates from `start` (inclusive) to `end` (exclusive). */
export interface BillingPeriod {
  start: string;
  end: string;
}

/**
 * The billing period a local date falls in, for periods starting on `cycleStartDay` of each month
 * (1: calendar months; 15: the 15th to the 14th of the next month).
 */
export function billingPeriodOf(localDate: string, cycleStartDay: number): BillingPeriod {
  const date = DateTime.fromISO(localDate, { zone: 'utc' });
  const start = date.day >= cycleStartDay ? date.set({ day: cycleStartDay }) : date.minus({ months: 1 }).set({ day: cycleStartDay });
  return { start: start.toISODate()!, end: start.plus({ months: 1 }).toISODate()! };
}

/** Days in a billing period. */
export const billingPeriodDays = (period: BillingPeriod) =>
  DateTime.fromISO(period.end, { zone: 'utc' }).diff(DateTime.fromISO(period.start, { zone: 'utc' }), 'days').days;

/** The start dates of the `count` billing periods before the one starting at `start`, most recent first. */
export function previousBillingPeriods(start: string, count: number): string[] {
  const from = DateTime.fromISO(start, { zone: 'utc' });
  return Array.from({ length: count }, (_, k) => from.minus({ months: k + 1 }).toISODate()!);
}
