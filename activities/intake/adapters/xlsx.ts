import ExcelJS from 'exceljs';
import {
  CHANGEOVER_COLUMNS,
  DEMAND_CHARGE_COLUMNS,
  FIXED_CHARGE_COLUMNS,
  HEATER_COLUMNS,
  JOB_COLUMNS,
  PAST_PEAK_COLUMNS,
  PERIOD_COLUMNS,
  readHeaderKeys,
  TARIFF_KEYS,
  WINDOW_COLUMNS,
} from '../columns.ts';
import type { Location } from '../location.ts';
import { isBlank, normaliseName, readKeyValues, readTable, scheduleDateOf, type KeyValue, type Table } from '../table.ts';
import { readText } from '../values.ts';
import { listZip } from '../zip.ts';
import { RequestBuilder, zoneWindows } from './builder.ts';
import type { AdapterContext, Conversion, IntakeAdapter, Sniffed } from './types.ts';

/** Declared uncompressed size above which a workbook is refused before it is inflated. */
const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;

/** Sheets of the template (examples/plant-day-template.xlsx), by normalised name. */
const SHEETS = {
  schedule: ['schedule', 'site'],
  settings: ['settings'],
  jobs: ['jobs', 'orders'],
  heaters: ['heaters', 'equipment'],
  windows: ['heaterwindows', 'unavailability', 'maintenance'],
  changeovers: ['changeovers', 'setuptimes'],
  tariff: ['tariff'],
  periods: ['tariffperiods', 'periods'],
  charges: ['fixedcharges', 'tariffcharges'],
  demandCharges: ['demandcharges'],
  pastPeaks: ['pastpeaks', 'peakhistory'],
  ignored: ['readme', 'instructions', 'help', 'notes', 'lists'],
} as const;
type SheetRole = keyof typeof SHEETS;

function roleOf(name: string): SheetRole | undefined {
  const n = normaliseName(name);
  return (Object.keys(SHEETS) as SheetRole[]).find((role) => (SHEETS[role] as readonly string[]).includes(n));
}

/** What a cell holds for intake: formulas give their result, rich text its text; an Excel error stays an error. */
function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object' || v instanceof Date) return v;
  if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('text' in v && typeof v.text === 'string') return v.text;
  if ('error' in v) return { excelError: v.error };
  return undefined;
}

function sheetRows(ws: ExcelJS.Worksheet): { row: number; cells: unknown[] }[] {
  const rows: { row: number; cells: unknown[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows.push({ row: n, cells: Array.from(values, (v) => cellValue(v as ExcelJS.CellValue)) });
  });
  return rows;
}

class WorkbookReader {
  readonly b: RequestBuilder;
  readonly sheets = new Map<SheetRole, ExcelJS.Worksheet>();

  constructor(
    readonly wb: ExcelJS.Workbook,
    readonly file: string | undefined,
  ) {
    this.b = new RequestBuilder(file ? { file } : {});
    for (const ws of wb.worksheets) {
      const role = roleOf(ws.name);
      if (!role)
        this.b.problem(
          { file, sheet: ws.name },
          `unknown sheet (known: ${Object.values(SHEETS)
            .map((n) => n[0])
            .join(', ')})`,
        );
      else if (this.sheets.has(role)) this.b.problem({ file, sheet: ws.name }, `repeats the sheet "${this.sheets.get(role)!.name}"`);
      else this.sheets.set(role, ws);
    }
  }

  at(ws: ExcelJS.Worksheet, row?: number, column?: number, field?: string): Location {
    return { file: this.file, sheet: ws.name, row, column, field };
  }

  rows(ws: ExcelJS.Worksheet): { row: number; cells: unknown[] }[] {
    return sheetRows(ws);
  }

  keyValues(role: SheetRole): KeyValue[] {
    const ws = this.sheets.get(role);
    if (!ws) return [];
    return this.rows(ws)
      .filter((r) => !isBlank(r.cells[0]) && !String(r.cells[0]).trim().startsWith('#'))
      .map((r) => {
        const key = readText(r.cells[0]);
        const name = key.ok ? key.value : String(r.cells[0]);
        r.cells.slice(2).forEach((c, i) => {
          if (!isBlank(c)) this.b.problem(this.at(ws, r.row, i + 3), 'a key/value sheet has keys in column A and values in column B only');
        });
        return { key: name, value: r.cells[1], keyAt: this.at(ws, r.row, 1, name), valueAt: this.at(ws, r.row, 2, name) };
      });
  }

  /** The sheet as a table whose header is its first non-blank row. */
  table(role: SheetRole): Table | undefined {
    const ws = this.sheets.get(role);
    if (!ws) return undefined;
    const [head, ...rows] = this.rows(ws);
    return {
      title: `sheet "${ws.name}"`,
      headerRow: head?.row ?? 1,
      headers: head?.cells ?? [],
      rows,
      at: (row, column, field) => this.at(ws, row, column, field),
    };
  }
}

/** Rows of a per-heater sheet go under the heater its heater_id names. */
function heaterTarget(r: WorkbookReader, heaterIds: string[], list: 'unavailability' | 'changeovers') {
  const counts = new Map<number, number>();
  return (ref: string | undefined, rowAt: Location) => {
    const k = ref === undefined ? -1 : heaterIds.indexOf(ref);
    if (k < 0) {
      r.b.problem(rowAt, ref === undefined ? 'names no heater (heater_id is empty)' : `names no heater of sheet "Heaters" (${ref})`);
      return undefined;
    }
    const n = counts.get(k) ?? 0;
    counts.set(k, n + 1);
    return ['equipment', k, list, n];
  };
}

function readHeaters(r: WorkbookReader, dates: { slashDates?: 'MDY' | 'DMY' }): void {
  const heaters = r.table('heaters');
  const ctx = { ...dates, scheduleDate: scheduleDateOf(r.b) };
  const ids: string[] = [];
  if (heaters) {
    const rows = readTable(r.b, heaters, HEATER_COLUMNS, ['equipment'], ctx);
    rows.forEach((_, k) => ids.push(String((r.b.request.equipment as { id?: unknown }[])[k]?.id ?? '')));
  }
  for (const [role, specs, list] of [
    ['windows', WINDOW_COLUMNS, 'unavailability'],
    ['changeovers', CHANGEOVER_COLUMNS, 'changeovers'],
  ] as const) {
    const table = r.table(role);
    if (!table) continue;
    if (!heaters) r.b.problem(table.at(table.headerRow), 'needs the sheet "Heaters" that lists the heaters it names');
    else readTable(r.b, table, specs, heaterTarget(r, ids, list), ctx);
  }
}

function readTariff(r: WorkbookReader, dates: { slashDates?: 'MDY' | 'DMY' }): void {
  const entries = r.keyValues('tariff');
  const periods = r.table('periods');
  const charges = r.table('charges');
  const demandCharges = r.table('demandCharges');
  if (entries.length === 0 && !periods && !charges && !demandCharges) return;
  const ctx = { ...dates, scheduleDate: scheduleDateOf(r.b) };
  const ws = r.sheets.get('tariff') ?? r.sheets.get('periods') ?? r.sheets.get('charges') ?? r.sheets.get('demandCharges')!;
  r.b.set(['tariff'], {}, r.at(ws));
  readKeyValues(r.b, entries, [{ specs: TARIFF_KEYS, base: ['tariff'] }], ctx);
  if (periods) readTable(r.b, periods, PERIOD_COLUMNS, ['tariff', 'periods'], ctx);
  if (charges) readTable(r.b, charges, FIXED_CHARGE_COLUMNS, ['tariff', 'fixedCharges'], ctx);
  if (demandCharges) readTable(r.b, demandCharges, DEMAND_CHARGE_COLUMNS, ['tariff', 'demand', 'charges'], ctx);
}

function readWorkbook(r: WorkbookReader, context: AdapterContext): void {
  const { b } = r;
  const entries = [...r.keyValues('schedule'), ...r.keyValues('settings')];
  const dates = readHeaderKeys(b, entries, context);
  const jobs = r.table('jobs');
  if (!jobs) b.problem({ file: r.file }, 'has no sheet "Jobs"', ['schedule', 'jobs']);
  else {
    b.set(['schedule', 'jobs'], [], jobs.at(jobs.headerRow));
    readTable(b, jobs, JOB_COLUMNS, ['schedule', 'jobs'], { ...dates, scheduleDate: scheduleDateOf(b) });
  }
  const pastPeaks = r.table('pastPeaks');
  if (pastPeaks) readTable(b, pastPeaks, PAST_PEAK_COLUMNS, ['settings', 'billing', 'pastPeaks'], dates);
  readHeaters(r, dates);
  zoneWindows(b);
  readTariff(r, dates);
}

export const xlsxAdapter: IntakeAdapter = {
  format: 'xlsx',
  title: 'XLSX workbook',
  extensions: ['xlsx'],
  sniff(s: Sniffed) {
    const zip = listZip(s.input.bytes);
    if (!zip.ok) return { ok: false, reason: zip.reason };
    if (!zip.entries.some((e) => e.name === 'xl/workbook.xml'))
      return { ok: false, reason: 'a ZIP file without xl/workbook.xml (not an .xlsx workbook)' };
    return { ok: true, score: 100 };
  },
  async convert(s: Sniffed, context: AdapterContext): Promise<Conversion> {
    const file = s.input.fileName;
    const fail = (message: string): Conversion => {
      const b = new RequestBuilder(file ? { file } : {});
      b.problem(file ? { file } : {}, message, []);
      return b.result();
    };
    const zip = listZip(s.input.bytes);
    if (!zip.ok) return fail(`not a readable XLSX workbook: ${zip.reason}`);
    const inflated = zip.entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
    if (inflated > MAX_UNCOMPRESSED_BYTES)
      return fail(`the workbook would inflate to ${(inflated / 2 ** 20).toFixed(0)} MB (limit ${MAX_UNCOMPRESSED_BYTES / 2 ** 20} MB)`);
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(
        Buffer.from(s.input.bytes.buffer, s.input.bytes.byteOffset, s.input.bytes.byteLength) as unknown as ExcelJS.Buffer,
      );
    } catch (err) {
      return fail(`not a readable XLSX workbook (truncated or damaged?): ${(err as Error).message}`);
    }
    const reader = new WorkbookReader(wb, file);
    readWorkbook(reader, context);
    return reader.b.result();
  },
};
