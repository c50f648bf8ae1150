import { DateTime } from 'luxon';
import type { Tariff } from './tariff.ts';

/** Where a tariff's dates fail to cover a schedule: the field and what is wrong with it. */
export interface TariffOutOfForce {
  path: 'tariff.effectiveDate' | 'tariff.expiryDate';
  message: string;
}

/**
 * Whether the tariff is in force on every day of the schedule's horizon (its effective and expiry
 * dates are local dates, both inclusive). Undefined when it is.
 */
export function tariffOutOfForce(tariff: Tariff, schedule: { scheduleDate: string; horizonDays: number }): TariffOutOfForce | undefined {
  const first = schedule.scheduleDate;
  const last = DateTime.fromISO(first, { zone: 'UTC' })
    .plus({ days: schedule.horizonDays - 1 })
    .toISODate()!;
  const days = first === last ? first : `${first} to ${last}`;
  if (tariff.effectiveDate > first) {
    return {
      path: 'tariff.effectiveDate',
      message: `${tariff.name} is in force from ${tariff.effectiveDate}, after the schedule's ${days}`,
    };
  }
  if (tariff.expiryDate !== undefined && tariff.expiryDate < last) {
    return {
      path: 'tariff.expiryDate',
      message: `${tariff.name} expired on ${tariff.expiryDate}, before the end of the schedule's ${days}`,
    };
  }
  return undefined;
}
