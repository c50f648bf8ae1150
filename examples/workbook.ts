/**
 * Writes run requests in the XLSX template's layout (the sheets and headers intake reads, see
 * activities/intake/columns.ts). `node --import tsx examples/workbook.ts` regenerates
 * examples/template.xlsx, examples/plant-day.xlsx and the XLSX test fixture.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import {
  BILLING_KEYS,
  CHANGEOVER_COLUMNS,
  DEMAND_CHARGE_COLUMNS,
  FIXED_CHARGE_COLUMNS,
  HEATER_COLUMNS,
  JOB_COLUMNS,
  NOTIFY_KEY,
  PAST_PEAK_COLUMNS,
  PERIOD_COLUMNS,
  SCHEDULE_KEYS,
  SETTINGS_KEYS,
  TARIFF_KEYS,
  WINDOW_COLUMNS,
} from '../activities/intake/columns.ts';
import type { FieldSpec } from '../activities/intake/table.ts';
import { RunRequestSchema, type RunRequest } from '../domain/run-request.ts';

const PRECEDENCE_CODES: Record<string, string> = {
  finish_to_start: 'FS',
  start_to_start: 'SS',
  finish_to_finish: 'FF',
  start_to_finish: 'SF',
};

const README = [
  'HeatScheduler request template',
  '',
  'Fill in the sheets and run: heatscheduler run <this file>.xlsx (or convert it: heatscheduler convert <file> --to json).',
  'Schedule: tenant, site, schedule_date, time_zone (IANA, e.g. America/Chicago); optional horizon_days, source_system, date_format (MM/DD/YYYY or DD/MM/YYYY for text dates with slashes).',
  "Settings (optional): solver and site settings, the billing period's metered peak so far (metered_peak_as_of, metered_peak_facility_kw, metered_peak_<category>_kw), notify_email (several separated by |).",
  "Past peaks (optional): one row per earlier billing period (month YYYY-MM, peak_kw), for the tariff's demand ratchet.",
  "Jobs (required): one row per job. Times are the site's local time (Excel date-time cells, or text 2026-11-24 06:00). Lists (allowed_equipment) separated by |.",
  '  predecessors: "J-101" (finish-to-start), "J-101 SS", "J-101 FS+30" (lag in minutes).',
  '  Quantities may name their unit in the header or the cell: Heating (MWh), 0.9 MWh, Duration (h), Efficiency (%), Temperature (°F).',
  "Heaters, Heater windows, Changeovers (optional): the site's heaters for this run; leave them out to use the registered ones.",
  'Tariff, Tariff periods, Fixed charges, Demand charges (optional): the tariff for this run; leave them out to use the registered one.',
  '  Tariff: demand_interval_minutes (15, 30 or 60) and the ratchet (ratchet_percent, ratchet_months, ratchet_applies_to facility or all).',
  "  Demand charges: one row per charge, per kW of the billing period's peak: kind facility (any time) or time_of_use (categories, e.g. on-peak|critical).",
  'Header names are matched whatever their case and spacing; a column whose header starts with # is ignored.',
];

const get = (obj: unknown, path: (string | number)[]) =>
  path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);

/** A canonical value as the template writes it; instants as the site's wall clock in an Excel date cell. */
function cell(spec: FieldSpec, value: unknown, zone: string): ExcelJS.CellValue {
  if (value === undefined || value === null) return null;
  if (spec.kind === 'instant') {
    const local = DateTime.fromISO(value as string, { zone });
    return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
  }
  if (spec.kind === 'predecessors') {
    const list = value as { jobId: string; type: string; lagMinutes: number }[];
    if (list.length === 0) return null;
    return list
      .map(
        (p) =>
          `${p.jobId}${p.type === 'finish_to_start' && p.lagMinutes === 0 ? '' : ` ${PRECEDENCE_CODES[p.type]}${p.lagMinutes ? (p.lagMinutes > 0 ? `+${p.lagMinutes}` : p.lagMinutes) : ''}`}`,
      )
      .join('|');
  }
  if (spec.kind === 'shifts') {
    const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    return (value as { from: string; to: string; weekdays?: number[] }[])
      .map((s) => `${s.weekdays ? `${days[s.weekdays[0] - 1]}-${days[s.weekdays.at(-1)! - 1]} ` : ''}${s.from}-${s.to}`)
      .join('|');
  }
  if (Array.isArray(value)) return value.length ? value.join('|') : null;
  return value as ExcelJS.CellValue;
}

function table(
  wb: ExcelJS.Workbook,
  name: string,
  specs: FieldSpec[],
  rows: unknown[],
  zone: string,
  ref?: (row: unknown) => string,
): void {
  const ws = wb.addWorksheet(name);
  ws.addRow(specs.map((s) => s.label)).font = { bold: true };
  for (const row of rows) ws.addRow(specs.map((s) => (s.key.length === 0 ? ref!(row) : cell(s, get(row, s.key), zone))));
  specs.forEach((s, i) => {
    const column = ws.getColumn(i + 1);
    column.width = Math.max(12, s.label.length + 2);
    if (s.kind === 'instant') column.numFmt = 'yyyy-mm-dd hh:mm';
  });
}

function keyValues(wb: ExcelJS.Workbook, name: string, entries: [FieldSpec, unknown][], zone: string): void {
  const ws = wb.addWorksheet(name);
  for (const [spec, value] of entries) ws.addRow([spec.label, cell(spec, value, zone)]);
  ws.getColumn(1).width = 28;
  ws.getColumn(2).width = 40;
}

/** Refuses what the template has no place for, rather than dropping it. */
function checkWritable(r: RunRequest): void {
  const s = r.settings;
  if (Object.keys(s.incumbentPeakKw).length || s.demandRatchet)
    throw new Error('the template has no place for incumbentPeakKw or demandRatchet');
  if (r.equipment?.some((e) => e.efficiencyWindows.length)) throw new Error('the template has no place for efficiencyWindows');
}

/** The workbook for a request (validated, so every default is written out). */
export function requestToWorkbook(request: RunRequest): ExcelJS.Workbook {
  checkWritable(request);
  const zone = request.schedule.timeZone;
  const wb = new ExcelJS.Workbook();
  wb.created = wb.modified = new Date(Date.UTC(2026, 0, 1));
  wb.addWorksheet('README').addRows(README.map((line) => [line]));
  keyValues(
    wb,
    'Schedule',
    SCHEDULE_KEYS.map((s) => [s, get(request.schedule, s.key)]),
    zone,
  );
  keyValues(
    wb,
    'Settings',
    [
      ...SETTINGS_KEYS.map((s): [FieldSpec, unknown] => [s, get(request.settings, s.key)]),
      ...BILLING_KEYS.map((s): [FieldSpec, unknown] => [s, get(request.settings.billing, s.key)]),
      [NOTIFY_KEY, request.notify.email],
    ],
    zone,
  );
  table(wb, 'Past peaks', PAST_PEAK_COLUMNS, request.settings.billing?.pastPeaks ?? [], zone);
  table(wb, 'Jobs', JOB_COLUMNS, request.schedule.jobs, zone);
  if (request.equipment) {
    table(wb, 'Heaters', HEATER_COLUMNS, request.equipment, zone);
    const windows = request.equipment.flatMap((e) => e.unavailability.map((w) => ({ ...w, heater: e.id })));
    table(wb, 'Heater windows', WINDOW_COLUMNS, windows, zone, (w) => (w as { heater: string }).heater);
    const changeovers = request.equipment.flatMap((e) => e.changeovers.map((c) => ({ ...c, heater: e.id })));
    table(wb, 'Changeovers', CHANGEOVER_COLUMNS, changeovers, zone, (c) => (c as { heater: string }).heater);
  }
  if (request.tariff) {
    keyValues(
      wb,
      'Tariff',
      TARIFF_KEYS.map((s) => [s, get(request.tariff, s.key)]),
      zone,
    );
    table(wb, 'Tariff periods', PERIOD_COLUMNS, request.tariff.periods, zone);
    table(wb, 'Fixed charges', FIXED_CHARGE_COLUMNS, request.tariff.fixedCharges, zone);
    table(wb, 'Demand charges', DEMAND_CHARGE_COLUMNS, request.tariff.demand?.charges ?? [], zone);
  }
  return wb;
}

async function main(): Promise<void> {
  const read = (path: string) => RunRequestSchema.parse(JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')));
  const plantDay = read('./plant-day.json');
  await requestToWorkbook(plantDay).xlsx.writeFile(new URL('./plant-day.xlsx', import.meta.url).pathname);
  // The template: every sheet, with one example row per table.
  const template = { ...plantDay, schedule: { ...plantDay.schedule, jobs: plantDay.schedule.jobs.slice(0, 2) } };
  await requestToWorkbook(template).xlsx.writeFile(new URL('./template.xlsx', import.meta.url).pathname);
  const sameDay = read('../test/fixtures/intake/same-day.json');
  await requestToWorkbook(sameDay).xlsx.writeFile(new URL('../test/fixtures/intake/same-day.xlsx', import.meta.url).pathname);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
