import { z } from 'zod';

const DAYS_OF_LEAP_YEAR: string[] = (() => {
  const days: string[] = [];
  for (let d = new Date(Date.UTC(2024, 0, 1)); d.getUTCFullYear() === 2024; d = new Date(d.getTime() + 86_400_000)) {
    days.push(d.toISOString().slice(5, 10));
  }
  return days;
})();

const MonthDaySchema = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a month and day MM-DD')
  .refine((md) => DAYS_OF_LEAP_YEAR.includes(md), { message: 'is not a day of the year' });

/**
 * A season of the tariff: local dates from `from` to `to`, both included, in every year; a season
 * may wrap the year end (winter 10-01 to 05-31). `to: 02-29` ends with February in every year.
 */
export const SeasonSchema = z
  .object({
    name: z.string().trim().min(1).max(40),
    from: MonthDaySchema,
    to: MonthDaySchema,
  })
  .strict();
export type Season = z.infer<typeof SeasonSchema>;

const contains = (season: Season, monthDay: string) =>
  season.from <= season.to ? monthDay >= season.from && monthDay <= season.to : monthDay >= season.from || monthDay <= season.to;

/** The season a local date (YYYY-MM-DD) falls in; undefined when the tariff has no seasons. */
export function seasonOf(seasons: Season[], localDate: string): Season | undefined {
  if (!seasons.length) return undefined;
  const monthDay = localDate.slice(5, 10);
  const found = seasons.find((s) => contains(s, monthDay));
  if (!found) throw new Error(`no season covers ${localDate}`);
  return found;
}

/** Seasons must cover every day of the year exactly once; returns what is wrong, if anything. */
export function seasonCoverageProblems(seasons: Season[]): string[] {
  if (!seasons.length) return [];
  const problems: string[] = [];
  const names = new Set<string>();
  for (const s of seasons) {
    if (names.has(s.name)) problems.push(`season ${s.name} is defined twice`);
    names.add(s.name);
  }
  const uncovered: string[] = [];
  for (const day of DAYS_OF_LEAP_YEAR) {
    const covering = seasons.filter((s) => contains(s, day));
    if (!covering.length) uncovered.push(day);
    if (covering.length > 1) problems.push(`${day} is in more than one season (${covering.map((s) => s.name).join(', ')})`);
  }
  if (uncovered.length) problems.push(`no season covers ${ranges(uncovered).join(', ')}`);
  return problems.slice(0, 5);
}

/** Consecutive days of the year as "MM-DD to MM-DD" ranges. */
function ranges(days: string[]): string[] {
  const out: string[] = [];
  let first = days[0];
  let last = days[0];
  for (const day of days.slice(1)) {
    if (DAYS_OF_LEAP_YEAR.indexOf(day) === DAYS_OF_LEAP_YEAR.indexOf(last) + 1) last = day;
    else {
      out.push(first === last ? first : `${first} to ${last}`);
      first = last = day;
    }
  }
  out.push(first === last ? first : `${first} to ${last}`);
  return out;
}
