import Holidays, { type HolidaysTypes } from 'date-holidays';
import { z } from 'zod';

/**
 * A site's holiday calendar from the maintained `date-holidays` rules (country, state, region),
 * narrowed to the holidays the utility observes. Names are matched in English or in the
 * country's own language; a substitute day ("… (substitute day)") follows its holiday.
 */
export const HolidayCalendarSchema = z
  .object({
    /** ISO 3166-1 alpha-2 country code, e.g. US, DE. */
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as US'),
    /** State or province code within the country (e.g. CA, BY). */
    state: z.string().min(1).optional(),
    /** Region code within the state. */
    region: z.string().min(1).optional(),
    /** Kinds of holiday that count (date-holidays' types). */
    types: z
      .array(z.enum(['public', 'bank', 'school', 'optional', 'observance']))
      .min(1)
      .default(['public']),
    /** Only these holidays (by name), e.g. a utility's list of observed holidays. */
    only: z.array(z.string().min(1)).min(1).optional(),
    /** Holidays (by name) the utility does not observe. */
    except: z.array(z.string().min(1)).default([]),
    /** Whether a holiday moved off a weekend (the "observed" day) counts too. */
    substituteDays: z.boolean().default(true),
  })
  .strict()
  .superRefine((calendar, ctx) => {
    for (const problem of calendarProblems(calendar)) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  });

export type HolidayCalendarInput = z.input<typeof HolidayCalendarSchema>;
export type HolidayCalendar = z.output<typeof HolidayCalendarSchema>;

export interface Holiday {
  date: string;
  name: string;
}

type CalendarKey = Pick<HolidayCalendar, 'country' | 'state' | 'region'>;

const catalogue = new Holidays();
const engines = new Map<string, { english: Holidays; native: Holidays }>();

function enginesFor({ country, state, region }: CalendarKey) {
  const key = [country, state ?? '', region ?? ''].join('/');
  let found = engines.get(key);
  if (!found) {
    const types: HolidaysTypes.HolidayType[] = ['public', 'bank', 'school', 'optional', 'observance'];
    const native = new Holidays(country, state ?? '', region ?? '', { types });
    // The country's own English (en-us: Labor Day) where it has one, else plain English.
    const english = native.getLanguages().find((l) => l.startsWith('en')) ?? 'en';
    found = { english: new Holidays(country, state ?? '', region ?? '', { languages: [english], types }), native };
    engines.set(key, found);
  }
  return found;
}

/** Why a calendar cannot be used: an unknown country, state or region, or names it never has. */
function calendarProblems(calendar: HolidayCalendar): { path: string[]; message: string }[] {
  const countries = catalogue.getCountries('en') ?? {};
  if (!countries[calendar.country]) return [{ path: ['country'], message: `${calendar.country} has no holiday calendar` }];
  if (calendar.state !== undefined) {
    const states = catalogue.getStates(calendar.country, 'en') ?? {};
    if (!states[calendar.state]) {
      return [
        { path: ['state'], message: `${calendar.country} has no state ${calendar.state} (known: ${Object.keys(states).join(', ')})` },
      ];
    }
  }
  if (calendar.region !== undefined) {
    const regions = calendar.state === undefined ? undefined : catalogue.getRegions(calendar.country, calendar.state, 'en');
    if (!regions?.[calendar.region]) {
      return [{ path: ['region'], message: `${calendar.country}/${calendar.state ?? '-'} has no region ${calendar.region}` }];
    }
  }
  // A name that the calendar never has in a run of years is a typo that would silently drop a holiday.
  const known = knownNames(calendar);
  const unknown = (field: 'only' | 'except') =>
    (calendar[field] ?? []).flatMap((name, i) =>
      known.has(name.toLowerCase())
        ? []
        : [
            {
              path: [field, String(i)],
              message: `${name} is not a holiday of ${calendarLabel(calendar)} (it has ${[...known.values()].join(', ')})`,
            },
          ],
    );
  return [...unknown('only'), ...unknown('except')];
}

/** The calendar's holiday names over a run of years, lower-cased, each with its spelling. */
function knownNames(calendar: HolidayCalendar): Map<string, string> {
  const { english, native } = enginesFor(calendar);
  const names = new Map<string, string>();
  for (let year = 2020; year <= 2040; year++) {
    for (const h of [...english.getHolidays(year), ...native.getHolidays(year)]) {
      if (calendar.types.includes(h.type) && !h.substitute && !names.has(h.name.toLowerCase())) names.set(h.name.toLowerCase(), h.name);
    }
  }
  return names;
}

export const calendarLabel = (c: CalendarKey) => [c.country, c.state, c.region].filter(Boolean).join('/');

const matches = (listed: string[], names: string[]) =>
  listed.some((l) => names.some((n) => n.toLowerCase() === l.toLowerCase() || n.toLowerCase().startsWith(`${l.toLowerCase()} (`)));

/** The calendar's holidays of the given years, sorted by date (the English name when there is one). */
export function calendarHolidays(calendar: HolidayCalendar, years: number[]): Holiday[] {
  const { english, native } = enginesFor(calendar);
  const out: Holiday[] = [];
  for (const year of years) {
    const nativeNames = new Map(native.getHolidays(year).map((h) => [`${h.date}|${h.rule}`, h.name]));
    for (const h of english.getHolidays(year)) {
      if (!calendar.types.includes(h.type)) continue;
      if (h.substitute && !calendar.substituteDays) continue;
      const names = [h.name, nativeNames.get(`${h.date}|${h.rule}`) ?? h.name];
      if (calendar.only && !matches(calendar.only, names)) continue;
      if (matches(calendar.except, names)) continue;
      out.push({ date: h.date.slice(0, 10), name: h.name });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * Holidays from `from` to `to` (local dates, inclusive): the calendar's and the explicitly listed
 * extra dates, one entry per date.
 */
export function holidaysBetween(calendar: HolidayCalendar | undefined, extra: string[], from: string, to: string): Holiday[] {
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) years.push(y);
  const byDate = new Map<string, Holiday>();
  for (const h of calendar ? calendarHolidays(calendar, years) : []) if (!byDate.has(h.date)) byDate.set(h.date, h);
  for (const date of extra) if (!byDate.has(date)) byDate.set(date, { date, name: 'listed in the tariff' });
  return [...byDate.values()].filter((h) => h.date >= from && h.date <= to).sort((a, b) => a.date.localeCompare(b.date));
}
