import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSubmission } from '../../activities/intake/parse.ts';
import { reportWarnings } from '../../activities/report/warnings.ts';
import { resolveTariff } from '../../activities/tariff/resolve.ts';
import { DomainError } from '../../domain/errors.ts';
import { TariffSchema } from '../../domain/tariff.ts';
import { tariffOutOfForce } from '../../domain/tariff-validity.ts';
import { plantDayInput } from '../report/fixture.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));
const DAY = example.schedule.scheduleDate as string; // 2026-11-24

/** The example day with its tariff's dates (and the settings and horizon) changed. */
function intake(dates: { effectiveDate: string; expiryDate?: string }, settings: object = {}, horizonDays = 1) {
  const request = structuredClone(example);
  request.tariff = { ...request.tariff, ...dates };
  if (dates.expiryDate === undefined) delete request.tariff.expiryDate;
  request.settings = { ...request.settings, ...settings };
  request.schedule.horizonDays = horizonDays;
  return parseSubmission(JSON.stringify(request), 'json');
}

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('tariff versions: a tariff out of force is refused (E006) or, when the request says so, used with a warning', () => {
  it('refuses by default a tariff that expired before the day, naming the field and both dates', () => {
    const err = refusal(() => resolveTariff(intake({ effectiveDate: '2025-01-01', expiryDate: '2025-12-31' }), undefined));
    expect(err.code).toBe('E006');
    expect(err.problems).toEqual([
      {
        path: 'tariff.expiryDate',
        message: `ToU-Industrial-2026 expired on 2025-12-31, before the end of the schedule's ${DAY} (settings.tariffValidity: "warn" uses it anyway)`,
      },
    ]);
  });

  it('refuses a tariff not yet in force, with tariffValidity "refuse" said outright too', () => {
    for (const settings of [{}, { tariffValidity: 'refuse' }]) {
      const err = refusal(() => resolveTariff(intake({ effectiveDate: '2026-12-01' }, settings), undefined));
      expect(err.code).toBe('E006');
      expect(err.problems.map((p) => p.path)).toEqual(['tariff.effectiveDate']);
      expect(err.problems[0].message).toContain(`in force from 2026-12-01, after the schedule's ${DAY}`);
    }
  });

  it('refuses a tariff that expires within a multi-day horizon, and accepts one in force on every day (dates inclusive)', () => {
    const err = refusal(() => resolveTariff(intake({ effectiveDate: '2026-01-01', expiryDate: '2026-11-25' }, {}, 3), undefined));
    expect(err.problems[0].message).toContain(`expired on 2026-11-25, before the end of the schedule's ${DAY} to 2026-11-26`);
    const output = resolveTariff(intake({ effectiveDate: DAY, expiryDate: '2026-11-26' }, {}, 3), undefined);
    expect(output.tariff.expiryDate).toBe('2026-11-26');
  });

  it('uses an out-of-force tariff with tariffValidity "warn": the same slots and rates as the tariff in force', () => {
    const warned = resolveTariff(intake({ effectiveDate: '2025-01-01', expiryDate: '2025-12-31' }, { tariffValidity: 'warn' }), undefined);
    const inForce = resolveTariff(intake({ effectiveDate: '2026-01-01', expiryDate: '2026-12-31' }), undefined);
    expect(warned.slots).toEqual(inForce.slots);
    expect(tariffOutOfForce(warned.tariff, { scheduleDate: DAY, horizonDays: 1 })?.path).toBe('tariff.expiryDate');
  });

  it('checks a registered tariff the same way (the version found for the first day may expire within the horizon)', () => {
    const request = intake({ effectiveDate: '2026-01-01' }, {}, 2);
    const registered = TariffSchema.parse({ ...example.tariff, expiryDate: DAY });
    const err = refusal(() => resolveTariff({ ...request, supplied: { ...request.supplied, tariff: undefined } }, registered));
    expect(err.problems[0].path).toBe('tariff.expiryDate');
  });

  it('the report warns when the plan was priced with a tariff out of force, and says nothing when it was in force', () => {
    const input = plantDayInput({ tariffValidity: 'warn' });
    const inForce = reportWarnings(input).map((w) => w.text);
    expect(inForce.filter((t) => t.includes('tariff'))).toEqual([]);
    const expired = { ...input, problem: { ...input.problem, tariff: { ...input.problem.tariff, expiryDate: '2026-06-30' } } };
    expect(reportWarnings(expired)).toContainEqual({
      severity: 'warning',
      text: `The tariff is not in force on these days: ToU-Industrial-2026 expired on 2026-06-30, before the end of the schedule's ${DAY}.`,
    });
  });
});
