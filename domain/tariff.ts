import { DateTime } from 'luxon';
import { z } from 'zod';
import { chargeKey, chargeLabel, TariffDemandSchema, type TariffDemand } from './demand-charges.ts';
import { HolidayCalendarSchema, holidaysBetween, type Holiday } from './holidays.ts';
import { averagePrice, PriceSeriesSchema } from './price-series.ts';
import { SeasonSchema, seasonCoverageProblems, seasonOf, type Season } from './seasons.ts';
import { LocalDateSchema, TimeOfDaySchema, TimeZoneSchema, minutesOfDay } from './time.ts';
import { slotStartMs, type SlotGrid } from './slot-grid.ts';
import { DayTypeSchema, PeriodCategorySchema, type DayType, type PeriodCategory } from './tariff-categories.ts';

export { DayTypeSchema, PERIOD_CATEGORIES, PeriodCategorySchema, type DayType, type PeriodCategory } from './tariff-categories.ts';

export const TariffPeriodSchema = z
  .object({
    /** The season the period belongs to (a name from `seasons`); all year when left out. */
    season: z.string().min(1).optional(),
    dayType: DayTypeSchema.default('weekday'),
    /** Local start time; the period runs to `end` (an end at or before the start wraps past midnight). */
    start: TimeOfDaySchema,
    end: TimeOfDaySchema,
    energyRate: z.number().min(0).max(100),
    /**
     * Demand rate of the period's category, per kW of the billing period's peak (the older way to
     * write demand charges; `demand` is the newer). One rate on every period is one facility
     * (any-time) charge; differing rates are time-of-use charges per category. See `demandChargesOf`.
     */
    demandRate: z.number().min(0).max(10_000).default(0),
    category: PeriodCategorySchema,
  })
  .strict();

export const FixedChargeSchema = z
  .object({
    name: z.string().min(1),
    amount: z.number().min(0),
    per: z.enum(['day', 'month']),
  })
  .strict();

/** Fuel prices per kWh of fuel input (a boiler's own `fuelRatePerKwh` wins). */
export const FuelPricesSchema = z.object({ natural_gas: z.number().min(0).optional(), propane: z.number().min(0).optional() }).strict();

export const TariffSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    utilityProvider: z.string().max(100).optional(),
    rateScheduleCode: z.string().max(50).optional(),
    /** Where the tariff was taken from (a URDB record, a utility's rate sheet), for the report. */
    source: z.string().max(500).optional(),
    timeZone: TimeZoneSchema,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
      .default('USD'),
    /** The version in force from this local date (inclusive) … */
    effectiveDate: LocalDateSchema,
    /** … to this one (inclusive); open-ended when left out. */
    expiryDate: LocalDateSchema.optional(),
    /** Seasons covering the year; periods and demand charges may name one. None: one season all year. */
    seasons: z.array(SeasonSchema).optional(),
    periods: z.array(TariffPeriodSchema).min(1),
    /** Demand charges as the utility bills them (facility and time-of-use, interval, ratchet). */
    demand: TariffDemandSchema.optional(),
    /** Market or real-time prices that set (or add to) the periods' energy rates. */
    priceSeries: PriceSeriesSchema.optional(),
    fixedCharges: z.array(FixedChargeSchema).default([]),
    fuelPrices: FuelPricesSchema.default({}),
    /** The site's public holidays (priced with the holiday, else weekend, periods). */
    holidayCalendar: HolidayCalendarSchema.optional(),
    /** Extra holiday dates, beside the calendar's (or instead of one). */
    holidays: z.array(LocalDateSchema).default([]),
    /** Day of the month a billing period starts (1, calendar months, when left out). */
    billingCycleStartDay: z.number().int().min(1).max(28).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (const p of tariffProblems(t)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });

export type TariffInput = z.input<typeof TariffSchema>;
export type Tariff = z.output<typeof TariffSchema>;
export type TariffPeriod = Tariff['periods'][number];

type Problem = { path: (string | number)[]; message: string };

/** Everything wrong with a tariff beyond its fields' own types, each with its path. */
function tariffProblems(t: Tariff): Problem[] {
  const problems: Problem[] = [];
  if (t.expiryDate && t.expiryDate < t.effectiveDate) problems.push({ path: ['expiryDate'], message: 'must not be before effectiveDate' });
  problems.push(...seasonCoverageProblems(t.seasons ?? []).map((message) => ({ path: ['seasons'], message })));
  const names = new Set((t.seasons ?? []).map((s) => s.name));
  t.periods.forEach((p, i) => {
    if (p.season !== undefined && !names.has(p.season)) {
      problems.push({ path: ['periods', i, 'season'], message: `names no season of the tariff (${[...names].join(', ') || 'none'})` });
    }
  });
  for (const season of seasonKeys(t)) problems.push(...periodCoverageProblems(t, season));
  if (t.demand) problems.push(...demandProblems(t, t.demand, names));
  return problems;
}

/** The seasons to check periods in: each named season, or one all-year season. */
const seasonKeys = (t: Tariff): (string | undefined)[] => (t.seasons?.length ? t.seasons.map((s) => s.name) : [undefined]);

function periodCoverageProblems(t: Tariff, season: string | undefined): Problem[] {
  const problems: Problem[] = [];
  const where = season === undefined ? '' : ` in season ${season}`;
  const inSeason = t.periods.filter((p) => p.season === undefined || p.season === season);
  if (!inSeason.some((p) => p.dayType === 'weekday')) {
    problems.push({ path: ['periods'], message: `needs weekday periods${where} (weekend and holiday fall back to them)` });
  }
  for (const dayType of DayTypeSchema.options) {
    const problem = coverageProblem(inSeason.filter((p) => p.dayType === dayType));
    if (problem) problems.push({ path: ['periods'], message: `${dayType} periods${where} ${problem}` });
  }
  return problems;
}

function demandProblems(t: Tariff, demand: TariffDemand, seasons: Set<string>): Problem[] {
  const problems: Problem[] = [];
  t.periods.forEach((p, i) => {
    if (p.demandRate > 0) {
      problems.push({
        path: ['periods', i, 'demandRate'],
        message: 'give demand charges either in `demand` or as the periods’ demandRate, not both',
      });
    }
  });
  const seen = new Set<string>();
  demand.charges.forEach((charge, i) => {
    if (charge.season !== undefined && !seasons.has(charge.season)) {
      problems.push({
        path: ['demand', 'charges', i, 'season'],
        message: `names no season of the tariff (${[...seasons].join(', ') || 'none'})`,
      });
    }
    if (charge.kind === 'time_of_use') {
      charge.categories.forEach((category, k) => {
        if (t.periods.some((p) => p.category === category && inSeason(p, charge.season))) return;
        const where = charge.season ? ` in season ${charge.season}` : '';
        problems.push({ path: ['demand', 'charges', i, 'categories', k], message: `no ${category} period${where} to bill` });
      });
    }
    const key = chargeKey(charge);
    if (seen.has(key)) problems.push({ path: ['demand', 'charges', i], message: `a second ${chargeLabel(charge)} charge` });
    seen.add(key);
  });
  return problems;
}

const inSeason = (p: TariffPeriod, season: string | undefined) => season === undefined || p.season === undefined || p.season === season;

/** Splits a period into [from, to) minute ranges within one day. */
function minuteRanges(p: { start: string; end: string }): [number, number][] {
  const from = minutesOfDay(p.start);
  const to = minutesOfDay(p.end);
  if (to > from) return [[from, to]];
  // An end at or before the start wraps past midnight (22:00-06:00, or 22:00-00:00).
  return [
    [from, 1440],
    [0, to],
  ].filter(([a, b]) => b > a) as [number, number][];
}

/** Periods of one day type must tile 00:00-24:00 exactly; returns what is wrong, if anything. */
function coverageProblem(periods: { start: string; end: string }[]): string | undefined {
  if (periods.length === 0) return undefined;
  const ranges = periods.flatMap(minuteRanges).sort((a, b) => a[0] - b[0]);
  let cursor = 0;
  for (const [from, to] of ranges) {
    if (from > cursor) return `leave ${fmt(cursor)}-${fmt(from)} uncovered`;
    if (from < cursor) return `overlap at ${fmt(from)}-${fmt(Math.min(cursor, to))}`;
    cursor = to;
  }
  return cursor < 1440 ? `leave ${fmt(cursor)}-24:00 uncovered` : undefined;
}

const fmt = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** What the tariff says about one slot of the grid, read in the tariff's local time. */
export interface SlotTariff {
  slot: number;
  startUtc: string;
  localStart: string;
  /** The season of the slot's local date (absent when the tariff has none). */
  season?: string;
  dayType: DayType;
  category: PeriodCategory;
  /** Per kWh: the periods' rates (and the price series) averaged over the slot by time. */
  energyRate: number;
  demandRate: number;
}

/** Which days are holidays, and the seasons, for the local dates of one grid. */
export interface TariffCalendar {
  holidays: Holiday[];
  seasons: Season[];
}

/** The holidays and seasons that apply to the grid's local dates. */
export function tariffCalendar(tariff: Tariff, grid: SlotGrid): TariffCalendar {
  const first = DateTime.fromISO(grid.startUtc, { zone: tariff.timeZone }).toISODate()!;
  const last = DateTime.fromISO(grid.endUtc, { zone: tariff.timeZone }).toISODate()!;
  return { holidays: holidaysBetween(tariff.holidayCalendar, tariff.holidays, first, last), seasons: tariff.seasons ?? [] };
}

export function dayTypeOf(local: DateTime, holidays: Set<string>): DayType {
  if (holidays.has(local.toISODate()!)) return 'holiday';
  return local.weekday >= 6 ? 'weekend' : 'weekday';
}

/** Day types without periods of their own use the next one: holiday → weekend → weekday. */
function periodsFor(tariff: Tariff, season: string | undefined, dayType: DayType): TariffPeriod[] {
  const order: DayType[] =
    dayType === 'holiday' ? ['holiday', 'weekend', 'weekday'] : dayType === 'weekend' ? ['weekend', 'weekday'] : ['weekday'];
  for (const d of order) {
    const found = tariff.periods.filter((p) => p.dayType === d && inSeasonKey(p, season));
    if (found.length) return found;
  }
  return [];
}

const inSeasonKey = (p: TariffPeriod, season: string | undefined) => p.season === undefined || p.season === season;

/** The local day's season and day type, and its periods. */
export function dayOf(tariff: Tariff, calendar: TariffCalendar, local: DateTime) {
  const season = seasonOf(calendar.seasons, local.toISODate()!)?.name;
  const dayType = dayTypeOf(local, new Set(calendar.holidays.map((h) => h.date)));
  return { season, dayType, periods: periodsFor(tariff, season, dayType) };
}

/**
 * The period in force at `minute` of the local day and how many minutes it stays in force
 * (to its end or midnight), so a slot that spans a period boundary can be averaged by time.
 */
function periodRun(periods: TariffPeriod[], minute: number): { period: TariffPeriod; minutes: number } | undefined {
  for (const period of periods) {
    const range = minuteRanges(period).find(([a, b]) => minute >= a && minute < b);
    if (range) return { period, minutes: range[1] - minute };
  }
  return undefined;
}

/** Classifies every slot of the grid by the period in force at the slot's local start. */
export function classifySlots(tariff: Tariff, grid: SlotGrid, calendar = tariffCalendar(tariff, grid)): SlotTariff[] {
  const at = periodResolver(tariff, calendar);
  const out: SlotTariff[] = [];
  for (let slot = 0; slot < grid.slotCount; slot++) {
    const fromMs = slotStartMs(grid, slot);
    const first = at(fromMs);
    out.push({
      slot,
      startUtc: new Date(fromMs).toISOString(),
      localStart: first.local.toFormat("yyyy-MM-dd'T'HH:mm"),
      ...(first.season === undefined ? {} : { season: first.season }),
      dayType: first.dayType,
      category: first.period.category,
      energyRate: slotEnergyRate(tariff, at, fromMs, grid.slotMinutes),
      demandRate: first.period.demandRate,
    });
  }
  return out;
}

/** What is in force at an instant: the local time, its day's season and type, the period and for how many more minutes. */
export type PeriodResolver = (ms: number) => {
  local: DateTime;
  season: string | undefined;
  dayType: DayType;
  period: TariffPeriod;
  minutesLeft: number;
};

/** Resolves instants to periods in the tariff's local time, one day's lookup reused for the day. */
export function periodResolver(tariff: Tariff, calendar: TariffCalendar): PeriodResolver {
  let day: { key: string; value: ReturnType<typeof dayOf> } | undefined;
  return (ms) => {
    const local = DateTime.fromMillis(ms, { zone: tariff.timeZone });
    const key = local.toISODate()!;
    if (day?.key !== key) day = { key, value: dayOf(tariff, calendar, local) };
    const { season, dayType, periods } = day.value;
    const run = periodRun(periods, local.hour * 60 + local.minute);
    if (!run) throw new Error(`tariff ${tariff.name} has no period at ${local.toISO()}`);
    return { local, season, dayType, period: run.period, minutesLeft: run.minutes };
  };
}

/**
 * The slot's energy rate: the periods' rates weighted by the minutes each is in force within the
 * slot, replaced by (or added to) the price series' time-weighted average over the slot.
 */
function slotEnergyRate(tariff: Tariff, at: PeriodResolver, fromMs: number, slotMinutes: number): number {
  const first = at(fromMs);
  let periodRate = first.period.energyRate;
  if (first.minutesLeft < slotMinutes) {
    // The slot spans a period boundary: weight each period by its minutes (a slot in one period keeps its rate exactly).
    periodRate = 0;
    for (let done = 0; done < slotMinutes;) {
      const run = done === 0 ? first : at(fromMs + done * 60_000);
      const minutes = Math.min(run.minutesLeft, slotMinutes - done);
      periodRate += run.period.energyRate * minutes;
      done += minutes;
    }
    periodRate /= slotMinutes;
  }
  const series = tariff.priceSeries;
  if (!series) return periodRate;
  const price = averagePrice(series, fromMs, fromMs + slotMinutes * 60_000);
  if (price === undefined) throw new Error(`the price series does not cover ${new Date(fromMs).toISOString()}`);
  return series.combine === 'add' ? periodRate + price : price;
}

/** Fixed charges over the grid's local days; monthly ones prorated by the month's length. */
export function fixedChargesFor(tariff: Tariff, grid: SlotGrid): { name: string; amount: number }[] {
  const first = DateTime.fromISO(grid.startUtc, { zone: grid.timeZone }).startOf('day');
  const last = DateTime.fromISO(grid.endUtc, { zone: grid.timeZone });
  return tariff.fixedCharges.map((charge) => {
    let amount = 0;
    for (let day = first; day < last; day = day.plus({ days: 1 })) {
      amount += charge.per === 'day' ? charge.amount : charge.amount / day.daysInMonth!;
    }
    return { name: charge.name, amount };
  });
}
