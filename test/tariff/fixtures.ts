import { tariffOverHorizon } from '../../domain/problem.ts';
import { ProductionScheduleInputSchema } from '../../domain/schedule.ts';
import { SettingsSchema } from '../../domain/settings.ts';
import type { Tariff } from '../../domain/tariff.ts';

/** The holidays the California utilities observe (PG&E's and SCE's lists). */
export const CALIFORNIA_UTILITY_HOLIDAYS = {
  country: 'US',
  state: 'CA',
  only: [
    "New Year's Day",
    "Presidents' Day",
    'Memorial Day',
    'Independence Day',
    'Labor Day',
    'Veterans Day',
    'Thanksgiving Day',
    'Christmas Day',
  ],
};

/** The tariff step's output for a one-job UTC schedule starting on `date`. */
export function tariffStep(tariff: Tariff, date: string, horizonDays = 1) {
  const schedule = ProductionScheduleInputSchema.parse({
    tenant: 't',
    site: 's',
    scheduleDate: date,
    timeZone: 'UTC',
    horizonDays,
    jobs: [
      { id: 'J', product: 'p', quantity: 1, unit: 'u', heatingKwh: 1, earliestStart: `${date}T00:00:00Z`, deadline: `${date}T04:00:00Z` },
    ],
  });
  return tariffOverHorizon(tariff, schedule, SettingsSchema.parse({}));
}
