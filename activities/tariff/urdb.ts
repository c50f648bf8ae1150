import { DateTime } from 'luxon';
import { z } from 'zod';
import type { DemandCharge, TariffDemandInput } from '../../domain/demand-charges.ts';
import { DomainError, ErrorCode } from '../../domain/errors.ts';
import type { HolidayCalendarInput } from '../../domain/holidays.ts';
import { PERIOD_CATEGORIES, TariffSchema, type PeriodCategory, type Tariff, type TariffInput } from '../../domain/tariff.ts';
import { TimeZoneSchema } from '../../domain/time.ts';
import { fieldProblems } from '../../domain/validation.ts';
import { UrdbRecordSchema, type UrdbRecord, type UrdbTier } from './urdb-record.ts';

/** What URDB does not say and the site must: its time zone, and optionally its holidays and the record to take. */
export const UrdbImportOptionsSchema = z
  .object({
    timeZone: TimeZoneSchema,
    /** The utility's holidays (URDB prices holidays with the weekend schedule but has no calendar). */
    holidayCalendar: z.custom<HolidayCalendarInput>().optional(),
    /** Which record of an API response with several (its `label`). */
    label: z.string().optional(),
    /** Overrides the record's start date (YYYY-MM-DD). */
    effectiveDate: z.string().optional(),
  })
  .strict();
export type UrdbImportOptions = z.input<typeof UrdbImportOptionsSchema>;

export interface UrdbImport {
  tariff: Tariff;
  /** What the import could not carry over exactly (tiers, minimum charges, units …) and how it read the record. */
  notes: string[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_ENDS = ['01-31', '02-29', '03-31', '04-30', '05-31', '06-30', '07-31', '08-31', '09-30', '10-31', '11-30', '12-31'];

/** A URDB record (or API response) as a tariff: seasons from its months, periods from its 12 × 24 schedules, demand charges. */
export function importUrdb(document: unknown, options: UrdbImportOptions): UrdbImport {
  const opts = UrdbImportOptionsSchema.parse(options);
  const record = pickRecord(document, opts.label);
  const notes: string[] = [];
  const seasons = seasonsOf(record);
  const periods = seasons.flatMap((season) => seasonPeriods(record, season, notes));
  const input: TariffInput = {
    name: record.name.slice(0, 100),
    utilityProvider: record.utility.slice(0, 100),
    source: (record.uri ?? (record.label ? `URDB ${record.label}` : 'URDB')).slice(0, 500),
    timeZone: opts.timeZone,
    currency: 'USD',
    ...dates(record, opts, notes),
    seasons: seasons.length > 1 ? seasons.map(({ name, from, to }) => ({ name, from, to })) : [],
    periods: periods.map((p) => (seasons.length > 1 ? p : { ...p, season: undefined })),
    demand: demandOf(record, seasons, notes),
    fixedCharges: fixedChargesOf(record, notes),
    ...(opts.holidayCalendar ? { holidayCalendar: opts.holidayCalendar } : {}),
  };
  unmodelled(record, notes);
  const parsed = TariffSchema.safeParse(input);
  if (!parsed.success)
    throw new DomainError(
      ErrorCode.INVALID_SCHEDULE,
      'the URDB record does not make a valid tariff',
      fieldProblems(parsed.error, 'tariff'),
    );
  return { tariff: parsed.data, notes };
}

function pickRecord(document: unknown, label: string | undefined): UrdbRecord {
  let candidate = document;
  if (document && typeof document === 'object' && Array.isArray((document as { items?: unknown }).items)) {
    const items = (document as { items: { label?: string }[] }).items;
    const found = label === undefined ? (items.length === 1 ? items[0] : undefined) : items.find((i) => i?.label === label);
    if (!found) {
      const labels = items.map((i) => i?.label ?? '?').join(', ');
      const why =
        label === undefined ? `has ${items.length} rates: name one by label (${labels})` : `has no rate labelled ${label} (${labels})`;
      throw new DomainError(ErrorCode.INVALID_SCHEDULE, 'invalid URDB document', [{ path: 'urdb.items', message: why }]);
    }
    candidate = found;
  }
  const parsed = UrdbRecordSchema.safeParse(candidate);
  if (!parsed.success) throw new DomainError(ErrorCode.INVALID_SCHEDULE, 'invalid URDB record', fieldProblems(parsed.error, 'urdb'));
  return parsed.data;
}

interface MonthGroup {
  name: string;
  from: string;
  to: string;
  months: number[];
}

/** Months with the same schedules and flat demand period form a season; a run of months around the year is one season. */
function seasonsOf(r: UrdbRecord): MonthGroup[] {
  const signature = (m: number) =>
    JSON.stringify([
      r.energyweekdayschedule[m],
      r.energyweekendschedule[m],
      r.demandweekdayschedule?.[m],
      r.demandweekendschedule?.[m],
      r.flatdemandmonths?.[m],
    ]);
  const signatures = MONTHS.map((_, m) => signature(m));
  if (new Set(signatures).size === 1) return [{ name: 'all year', from: '01-01', to: '12-31', months: MONTHS.map((_, m) => m) }];
  // Start at a month whose predecessor differs, so that a run across December stays whole.
  const first = signatures.findIndex((s, m) => s !== signatures[(m + 11) % 12]);
  const runs: number[][] = [];
  for (let k = 0; k < 12; k++) {
    const m = (first + k) % 12;
    if (k > 0 && signatures[m] === signatures[runs.at(-1)!.at(-1)!]) runs.at(-1)!.push(m);
    else runs.push([m]);
  }
  return runs
    .map((months) => ({
      name: months.length === 1 ? MONTHS[months[0]] : `${MONTHS[months[0]]}-${MONTHS[months.at(-1)!]}`,
      from: `${String(months[0] + 1).padStart(2, '0')}-01`,
      to: MONTH_ENDS[months.at(-1)!],
      months,
    }))
    .sort((a, b) => a.from.localeCompare(b.from));
}

const tierRate = (tiers: UrdbTier[]) => (tiers[0].rate ?? 0) + (tiers[0].adj ?? 0);
const energyRate = (r: UrdbRecord, period: number) => tierRate(r.energyratestructure[period]);
const demandRate = (r: UrdbRecord, period: number | undefined) => (period === undefined ? 0 : tierRate(r.demandratestructure![period]));

/** Ranked labels: the k-th of n increasing levels. */
const LABELS: Record<'energy' | 'demand', PeriodCategory[][]> = {
  energy: [[], ['off-peak'], ['off-peak', 'on-peak'], ['off-peak', 'mid-peak', 'on-peak'], ['off-peak', 'mid-peak', 'on-peak', 'critical']],
  demand: [[], ['on-peak'], ['mid-peak', 'on-peak'], ['mid-peak', 'on-peak', 'critical']],
};

function rankLabel(kind: 'energy' | 'demand', levels: number[], value: number): PeriodCategory {
  const labels = LABELS[kind][Math.min(levels.length, LABELS[kind].length - 1)];
  return labels[Math.min(levels.indexOf(value), labels.length - 1)];
}

/**
 * A season's categories: by the time-of-use demand rates where the season has any (so each priced
 * demand period is one category), else by the energy rates.
 */
function categorizer(r: UrdbRecord, season: MonthGroup, notes: string[]): (energy: number, demand: number | undefined) => PeriodCategory {
  const used = (schedules: (number[][] | undefined)[]) => [
    ...new Set(season.months.flatMap((m) => schedules.flatMap((s) => s?.[m] ?? []))),
  ];
  const demandLevels = [...new Set(used([r.demandweekdayschedule, r.demandweekendschedule]).map((d) => demandRate(r, d)))]
    .filter((x) => x > 0)
    .sort((a, b) => a - b);
  const where = season.name === 'all year' ? '' : ` in ${season.name}`;
  const energyLevels = [...new Set(used([r.energyweekdayschedule, r.energyweekendschedule]).map((e) => energyRate(r, e)))].sort(
    (a, b) => a - b,
  );
  if (demandLevels.length) {
    if (demandLevels.length > 3) notes.push(`more than 3 priced demand periods${where}: the highest share the critical category`);
    notes.push(
      `categories${where} follow the demand periods: ${demandLevels.map((d) => `${d}/kW ${rankLabel('demand', demandLevels, d)}`).join(', ')}, the rest off-peak`,
    );
    return (_, demand) => {
      const rate = demandRate(r, demand);
      return rate > 0 ? rankLabel('demand', demandLevels, rate) : 'off-peak';
    };
  }
  if (energyLevels.length > 4) notes.push(`more than 4 energy rates${where}: the highest share the critical category`);
  notes.push(
    `categories${where} follow the energy rates: ${energyLevels.map((e) => `${round(e)} ${rankLabel('energy', energyLevels, e)}`).join(', ')}`,
  );
  return (energy) => rankLabel('energy', energyLevels, energyRate(r, energy));
}

/** The periods of one season: hours with the same energy and demand period in a row make one period. */
function seasonPeriods(r: UrdbRecord, season: MonthGroup, notes: string[]): NonNullable<TariffInput['periods']> {
  const category = categorizer(r, season, notes);
  const month = season.months[0];
  const out: NonNullable<TariffInput['periods']> = [];
  for (const dayType of ['weekday', 'weekend'] as const) {
    const energy = (dayType === 'weekday' ? r.energyweekdayschedule : r.energyweekendschedule)[month];
    const demand = (dayType === 'weekday' ? r.demandweekdayschedule : r.demandweekendschedule)?.[month];
    for (let h = 0; h < 24;) {
      let end = h + 1;
      while (end < 24 && energy[end] === energy[h] && demand?.[end] === demand?.[h]) end++;
      out.push({
        season: season.name,
        dayType,
        start: `${String(h).padStart(2, '0')}:00`,
        end: end === 24 ? '24:00' : `${String(end).padStart(2, '0')}:00`,
        energyRate: round(energyRate(r, energy[h])),
        category: category(energy[h], demand?.[h]),
      });
      h = end;
    }
  }
  for (const [p, tiers] of r.energyratestructure.entries()) {
    if (tiers.length > 1 && !notes.some((n) => n.startsWith(`energy period ${p} `))) {
      notes.push(
        `energy period ${p} has ${tiers.length} tiers (not modelled): its first tier's rate ${round(tierRate(tiers))} applies to all energy`,
      );
    }
  }
  return out;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Facility charges from the flat demand structure, time-of-use ones from the demand schedules, by season. */
function demandOf(r: UrdbRecord, seasons: MonthGroup[], notes: string[]): TariffDemandInput | undefined {
  const seasonal = seasons.length > 1;
  const charges: DemandCharge[] = [];
  const flat = seasons.map((s) =>
    r.flatdemandmonths && r.flatdemandstructure ? tierRate(r.flatdemandstructure[r.flatdemandmonths[s.months[0]]]) : 0,
  );
  if (flat.some((rate) => rate > 0)) {
    if (new Set(flat).size === 1) charges.push({ kind: 'facility', rate: round(flat[0]), name: 'maximum demand' });
    else
      seasons.forEach(
        (s, k) =>
          flat[k] > 0 && charges.push({ kind: 'facility', rate: round(flat[k]), season: s.name, name: `maximum demand (${s.name})` }),
      );
  }
  for (const season of seasons) {
    const category = categorizer(r, season, []);
    const byCategory = new Map<PeriodCategory, number[]>();
    for (const m of season.months)
      for (const d of [...(r.demandweekdayschedule?.[m] ?? []), ...(r.demandweekendschedule?.[m] ?? [])]) {
        if (demandRate(r, d) <= 0) continue;
        const c = category(0, d);
        if (!byCategory.get(c)?.includes(d)) byCategory.set(c, [...(byCategory.get(c) ?? []), d]);
      }
    for (const c of PERIOD_CATEGORIES.filter((k) => byCategory.has(k))) {
      const periods = byCategory.get(c)!;
      if (periods.length > 1)
        notes.push(`demand periods ${periods.join(', ')} have one rate in ${season.name}: billed on one peak over them`);
      charges.push({
        kind: 'time_of_use',
        categories: [c],
        rate: round(demandRate(r, periods[0])),
        ...(seasonal ? { season: season.name } : {}),
      });
    }
  }
  tierNotes(r, notes);
  if (!charges.length) return undefined;
  return { intervalMinutes: demandWindow(r, notes), charges, ...ratchetOf(r, notes) };
}

function tierNotes(r: UrdbRecord, notes: string[]) {
  for (const [field, structure] of [
    ['demandratestructure', r.demandratestructure],
    ['flatdemandstructure', r.flatdemandstructure],
  ] as const) {
    structure?.forEach((tiers, p) => {
      if (tiers.length > 1) notes.push(`${field} period ${p} has ${tiers.length} tiers (not modelled): its first tier's rate applies`);
    });
  }
}

function demandWindow(r: UrdbRecord, notes: string[]): 15 | 30 | 60 {
  if (r.demandwindow === undefined) return 15;
  if (r.demandwindow === 15 || r.demandwindow === 30 || r.demandwindow === 60) return r.demandwindow;
  notes.push(`demand window of ${r.demandwindow} min is not supported: 15-min intervals used`);
  return 15;
}

function ratchetOf(r: UrdbRecord, notes: string[]): Pick<TariffDemandInput, 'ratchet'> {
  const byMonth = r.demandratchetpercentage ?? [];
  const lookback = r.lookbackpercent ? (r.lookbackpercent <= 1 ? r.lookbackpercent * 100 : r.lookbackpercent) : 0;
  const percent = Math.max(0, ...byMonth, lookback);
  if (percent <= 0) return {};
  if (new Set(byMonth.filter((p) => p > 0)).size > 1)
    notes.push(`the ratchet percentage varies by month: the highest, ${percent} %, applies all year`);
  const months = r.lookbackrange && r.lookbackrange > 0 ? Math.min(36, r.lookbackrange) : 11;
  if (!r.lookbackrange) notes.push('the record gives no ratchet window: the last 11 months are assumed');
  return { ratchet: { percent, months, appliesTo: 'facility' } };
}

function fixedChargesOf(r: UrdbRecord, notes: string[]): NonNullable<TariffInput['fixedCharges']> {
  const amount = r.fixedchargefirstmeter ?? r.fixedmonthlycharge;
  if (!amount) return [];
  const units = r.fixedchargefirstmeter !== undefined ? (r.fixedchargeunits ?? '$/month') : '$/month';
  if (units === '$/day') return [{ name: 'customer charge', amount, per: 'day' }];
  if (units === '$/year') {
    notes.push('the yearly fixed charge is billed as a twelfth each month');
    return [{ name: 'customer charge', amount: round(amount / 12), per: 'month' }];
  }
  if (units !== '$/month') notes.push(`fixed charge unit ${units} read as $/month`);
  return [{ name: 'customer charge', amount, per: 'month' }];
}

function dates(
  r: UrdbRecord,
  opts: z.output<typeof UrdbImportOptionsSchema>,
  notes: string[],
): Pick<TariffInput, 'effectiveDate' | 'expiryDate'> {
  const local = (seconds: number) => DateTime.fromSeconds(seconds, { zone: opts.timeZone });
  const effectiveDate = opts.effectiveDate ?? (r.startdate !== undefined ? local(r.startdate).toISODate()! : undefined);
  if (!effectiveDate) {
    throw new DomainError(ErrorCode.INVALID_SCHEDULE, 'invalid URDB record', [
      { path: 'urdb.startdate', message: 'is missing: give effectiveDate' },
    ]);
  }
  if (r.enddate === undefined) return { effectiveDate };
  // URDB's end date is the day the next version starts.
  const expiryDate = local(r.enddate).minus({ days: 1 }).toISODate()!;
  if (expiryDate < effectiveDate) notes.push(`the record ended on ${local(r.enddate).toISODate()}, before it took effect`);
  return { effectiveDate, expiryDate };
}

/** Record parts the model does not carry, said once each. */
function unmodelled(r: UrdbRecord, notes: string[]) {
  if (r.mincharge) notes.push(`minimum charge ${r.mincharge} ${r.minchargeunits ?? ''} not modelled`.trim());
  if (r.coincidentratestructure) notes.push('coincident demand charges not modelled');
  for (const [field, unit] of [
    ['demandrateunit', r.demandrateunit],
    ['flatdemandunit', r.flatdemandunit],
  ] as const) {
    if (unit && unit.toLowerCase() !== 'kw') notes.push(`${field} ${unit} read as kW`);
  }
  const units = new Set(r.energyratestructure.flat().map((t) => t.unit ?? 'kWh'));
  for (const unit of units) if (unit !== 'kWh') notes.push(`energy tiers in ${unit} read as per-kWh rates`);
}
