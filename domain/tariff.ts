import { DateTime } from 'luxon';
import { z } from 'zod';
import { LocalDateSchema, TimeOfDaySchema, TimeZoneSchema, minutesOfDay } from './time.ts';
import { slotStartMs, type SlotGrid } from './slot-grid.ts';

export const PeriodCategorySchema = z.enum(['off-peak', 'mid-peak', 'on-peak', 'critical']);
export type PeriodCategory = z.infer<typeof PeriodCategorySchema>;
export const PERIOD_CATEGORIES = PeriodCategorySchema.options;

export const DayTypeSchema = z.enum(['weekday', 'weekend', 'holiday']);
export type DayType = z.infer<typeof DayTypeSchema>;

export const TariffPeriodSchema = z
  .object({
    dayType: DayTypeSchema.default('weekday'),
    /** Local start time; the period runs to `end` (an end at or before the start wraps past midnight). */
    start: TimeOfDaySchema,
    end: TimeOfDaySchema,
    energyRate: z.number().min(0).max(100),
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

export const FuelPricesSchema = z.object({ natural_gas: z.number().min(0).optional(), propane: z.number().min(0).optional() }).strict();

export const TariffSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    utilityProvider: z.string().max(100).optional(),
    rateScheduleCode: z.string().max(50).optional(),
    timeZone: TimeZoneSchema,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
      .default('USD'),
    effectiveDate: LocalDateSchema,
    expiryDate: LocalDateSchema.optional(),
    periods: z.array(TariffPeriodSchema).min(1),
    fixedCharges: z.array(FixedChargeSchema).default([]),
    /** Fuel prices per kWh of fuel input. */
    fuelPrices: FuelPricesSchema.default({}),
    holidays: z.array(LocalDateSchema).default([]),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.expiryDate && t.expiryDate < t.effectiveDate) {
      ctx.addIssue({ code: 'custom', path: ['expiryDate'], message: 'must not be before effectiveDate' });
    }
    if (!t.periods.some((p) => p.dayType === 'weekday')) {
      ctx.addIssue({ code: 'custom', path: ['periods'], message: 'needs weekday periods (weekend and holiday fall back to them)' });
    }
    for (const dayType of DayTypeSchema.options) {
      const problem = coverageProblem(t.periods.filter((p) => p.dayType === dayType));
      if (problem) ctx.addIssue({ code: 'custom', path: ['periods'], message: `${dayType} periods ${problem}` });
    }
  });

export type TariffInput = z.input<typeof TariffSchema>;
export type Tariff = z.output<typeof TariffSchema>;
export type TariffPeriod = Tariff['periods'][number];

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
  dayType: DayType;
  category: PeriodCategory;
  energyRate: number;
  demandRate: number;
}

export function dayTypeOf(local: DateTime, holidays: string[]): DayType {
  if (holidays.includes(local.toISODate()!)) return 'holiday';
  return local.weekday >= 6 ? 'weekend' : 'weekday';
}

/** Day types without periods of their own use the next one: holiday → weekend → weekday. */
function periodsFor(tariff: Tariff, dayType: DayType): TariffPeriod[] {
  const order: DayType[] =
    dayType === 'holiday' ? ['holiday', 'weekend', 'weekday'] : dayType === 'weekend' ? ['weekend', 'weekday'] : ['weekday'];
  for (const d of order) {
    const found = tariff.periods.filter((p) => p.dayType === d);
    if (found.length) return found;
  }
  return [];
}

export function periodAt(tariff: Tariff, local: DateTime): { dayType: DayType; period: TariffPeriod } {
  const dayType = dayTypeOf(local, tariff.holidays);
  const minute = local.hour * 60 + local.minute;
  const period = periodsFor(tariff, dayType).find((p) => minuteRanges(p).some(([a, b]) => minute >= a && minute < b));
  if (!period) throw new Error(`tariff ${tariff.name} has no period at ${local.toISO()}`);
  return { dayType, period };
}

/** Classifies every slot of the grid by the period in force at the slot's local start. */
export function classifySlots(tariff: Tariff, grid: SlotGrid): SlotTariff[] {
  const out: SlotTariff[] = [];
  for (let slot = 0; slot < grid.slotCount; slot++) {
    const local = DateTime.fromMillis(slotStartMs(grid, slot), { zone: tariff.timeZone });
    const { dayType, period } = periodAt(tariff, local);
    out.push({
      slot,
      startUtc: new Date(slotStartMs(grid, slot)).toISOString(),
      localStart: local.toFormat("yyyy-MM-dd'T'HH:mm"),
      dayType,
      category: period.category,
      energyRate: period.energyRate,
      demandRate: period.demandRate,
    });
  }
  return out;
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
