import type { Location } from './location.ts';
import { isUnitOf, type Dimension } from './units.ts';
import {
  readBoolean,
  readDate,
  readInstant,
  readList,
  readNumber,
  readQuantity,
  readText,
  shown,
  type InstantContext,
  type Read,
  type SlashDateOrder,
} from './values.ts';
import type { RequestBuilder } from './adapters/builder.ts';
import type { FieldPath } from './adapters/types.ts';

export type CellKind =
  | 'text'
  | 'number'
  | 'boolean'
  | 'list'
  | 'numbers'
  | 'instant'
  | 'date'
  | 'month'
  | 'time'
  | 'quantity'
  | 'enum'
  | 'enums'
  | 'predecessors'
  | 'shifts';

/** One column of a table (or one key of a key/value sheet) and the canonical field it fills. */
export interface FieldSpec {
  /** Path below the row's (or section's) canonical object. */
  key: FieldPath;
  /** How the template writes it. */
  label: string;
  /** Other accepted names; compared after `normaliseName`, with an optional unit suffix for quantities. */
  aliases?: string[];
  kind: CellKind;
  dimension?: Dimension;
  options?: readonly string[];
  required?: boolean;
}

/** `Heating (kWh)`, `heating_kwh`, ` HeatingKWh ` → `heatingkwh`; `%` becomes `pct`. */
export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/%/g, 'pct')
    .replace(/[^a-z0-9]/g, '');
}

const namesOf = (spec: FieldSpec) => [spec.label, ...(spec.aliases ?? [])].map(normaliseName);

/** The field a header names, and the unit written in it (`Heating (MWh)`), if any. */
export function matchField(header: string, specs: FieldSpec[]): { spec: FieldSpec; unit?: string } | undefined {
  const h = normaliseName(header);
  if (!h) return undefined;
  for (const spec of specs) if (namesOf(spec).includes(h)) return { spec };
  for (const spec of specs) {
    if (spec.kind !== 'quantity' || !spec.dimension) continue;
    for (const name of namesOf(spec)) {
      const stem = stripUnit(name, spec.dimension);
      if (h.startsWith(stem) && h.length > stem.length && isUnitOf(spec.dimension, h.slice(stem.length)))
        return { spec, unit: h.slice(stem.length) };
    }
  }
  return undefined;
}

/** `heatingkwh` → `heating`: the label without its canonical unit, so `heatingmwh` matches too. */
function stripUnit(name: string, dimension: Dimension): string {
  for (let cut = 3; cut < name.length; cut++) if (isUnitOf(dimension, name.slice(cut))) return name.slice(0, cut);
  return name;
}

function readEnum(raw: unknown, options: readonly string[]): Read<string> {
  const text = readText(raw);
  if (!text.ok) return text;
  const wanted = normaliseName(text.value);
  const found = options.find((o) => normaliseName(o) === wanted);
  return found ? { ok: true, value: found } : { ok: false, message: `${shown(raw)} is not one of ${options.join(', ')}` };
}

/** A list whose items are each one of the options (`on-peak|critical`). */
function readEnums(raw: unknown, options: readonly string[]): Read<string[]> {
  const list = readList(raw);
  if (!list.ok) return list;
  const out: string[] = [];
  for (const item of list.value) {
    const one = readEnum(item, options);
    if (!one.ok) return one;
    out.push(one.value);
  }
  return { ok: true, value: out };
}

/** `2026-10`, or a date cell (Excel turns a typed 2026-10 into the 1st of the month): the month YYYY-MM. */
function readMonth(raw: unknown): Read<string> {
  if (raw instanceof Date) return { ok: true, value: raw.toISOString().slice(0, 7) };
  const text = readText(raw);
  const m = text.ok ? /^(\d{4})[-/](\d{1,2})$/.exec(text.value) : null;
  if (!m) return { ok: false, message: `${shown(raw)} is not a month YYYY-MM` };
  return { ok: true, value: `${m[1]}-${m[2].padStart(2, '0')}` };
}

function readTimeOfDay(raw: unknown): Read<string> {
  if (raw instanceof Date) {
    const d = new Date(Math.round(raw.getTime() / 60000) * 60000);
    return { ok: true, value: `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` };
  }
  const text = readText(raw);
  const m = text.ok ? /^(\d{1,2}):(\d{2})$/.exec(text.value) : null;
  if (!m) return { ok: false, message: `${shown(raw)} is not a time of day HH:MM` };
  return { ok: true, value: `${m[1].padStart(2, '0')}:${m[2]}` };
}

const PRECEDENCE: Record<string, string> = { FS: 'finish_to_start', SS: 'start_to_start', FF: 'finish_to_finish', SF: 'start_to_finish' };

/** `J-101`, `J-101 SS`, `J-101 FS+30`, `J-101 FF-15`: MS Project's notation, lags in minutes. */
export function readPredecessors(raw: unknown): Read<{ jobId: string; type: string; lagMinutes: number }[]> {
  const list = readList(raw);
  if (!list.ok) return list;
  const out: { jobId: string; type: string; lagMinutes: number }[] = [];
  for (const item of list.value) {
    const m = /^(.+?)(?:\s+(FS|SS|FF|SF)\s*(?:([+-])\s*(\d+)\s*(?:min)?)?)?$/i.exec(item);
    if (!m) return { ok: false, message: `${shown(item)} is not "<job id> [FS|SS|FF|SF][+/-minutes]"` };
    const lag = m[4] === undefined ? 0 : (m[3] === '-' ? -1 : 1) * Number(m[4]);
    out.push({ jobId: m[1].trim(), type: PRECEDENCE[(m[2] ?? 'FS').toUpperCase()], lagMinutes: lag });
  }
  return { ok: true, value: out };
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `06:00-14:00`, `Mon-Fri 06:00-22:00`, `Sat 08:00-12:00`, several separated by `|` or `;`. */
export function readShifts(raw: unknown): Read<{ from: string; to: string; weekdays?: number[] }[]> {
  const text = readText(raw);
  if (!text.ok) return text;
  const out: { from: string; to: string; weekdays?: number[] }[] = [];
  for (const item of text.value
    .split(/[|;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(?:([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+)?(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/i.exec(item);
    const [a, b] = [m?.[1], m?.[2] ?? m?.[1]].map((d) => (d === undefined ? -1 : WEEKDAYS.indexOf(d.toLowerCase())));
    if (!m || (m[1] !== undefined && (a < 0 || b < 0)))
      return { ok: false, message: `${shown(item)} is not a shift like "Mon-Fri 06:00-22:00"` };
    const [from, to] = [readTimeOfDay(m[3]), readTimeOfDay(m[4])];
    if (!from.ok || !to.ok) return { ok: false, message: `${shown(item)} is not a shift like "Mon-Fri 06:00-22:00"` };
    const weekdays = m[1] === undefined ? undefined : Array.from({ length: ((b - a + 7) % 7) + 1 }, (_, k) => ((a + k) % 7) + 1);
    out.push({ from: from.value, to: to.value, ...(weekdays ? { weekdays } : {}) });
  }
  return { ok: true, value: out };
}

function readNumbers(raw: unknown): Read<number[]> {
  const list = typeof raw === 'number' ? ({ ok: true, value: [String(raw)] } as const) : readList(raw);
  if (!list.ok) return list;
  const out: number[] = [];
  for (const item of list.value) {
    const n = readNumber(item);
    if (!n.ok) return n;
    out.push(n.value);
  }
  return { ok: true, value: out };
}

/** Converts one cell for its field; `unit` is the one the header names. */
export function readCell(spec: FieldSpec, raw: unknown, unit: string | undefined, ctx: InstantContext): Read<unknown> {
  if (raw && typeof raw === 'object' && 'excelError' in raw)
    return { ok: false, message: `holds the Excel error ${String(raw.excelError)}` };
  switch (spec.kind) {
    case 'text':
      return readText(raw);
    case 'number':
      return readNumber(raw);
    case 'boolean':
      return readBoolean(raw);
    case 'list':
      return readList(raw);
    case 'numbers':
      return readNumbers(raw);
    case 'instant':
      return readInstant(raw, ctx);
    case 'date':
      return readDate(raw, ctx);
    case 'month':
      return readMonth(raw);
    case 'time':
      return readTimeOfDay(raw);
    case 'quantity':
      return readQuantity(raw, spec.dimension!, unit);
    case 'enum':
      return readEnum(raw, spec.options!);
    case 'enums':
      return readEnums(raw, spec.options!);
    case 'predecessors':
      return readPredecessors(raw);
    case 'shifts':
      return readShifts(raw);
  }
}

/** Cells that hold nothing: no value, or only spaces. */
export const isBlank = (raw: unknown) => raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');

export interface TableRow {
  /** 1-based row of the file or sheet. */
  row: number;
  cells: unknown[];
}

export interface Table {
  /** Names the table in messages ("Jobs"). */
  title: string;
  headerRow: number;
  headers: unknown[];
  rows: TableRow[];
  /** The location of a cell (1-based column). */
  at(row: number, column?: number, field?: string): Location;
}

interface Column {
  index: number;
  spec: FieldSpec;
  unit?: string;
  header: string;
}

/** Matches the header row against the specs; unknown, repeated and missing required columns are problems. */
function matchColumns(b: RequestBuilder, table: Table, specs: FieldSpec[], base: FieldPath): Column[] {
  const columns: Column[] = [];
  table.headers.forEach((raw, i) => {
    const header = typeof raw === 'string' ? raw.trim() : raw === undefined || raw === null ? '' : String(raw);
    if (header === '' || header.startsWith('#')) {
      const used = table.rows.find((r) => !isBlank(r.cells[i]));
      if (header === '' && used) b.problem(table.at(used.row, i + 1), 'has a value in a column without a header');
      return;
    }
    const match = matchField(header, specs);
    if (!match) {
      b.problem(table.at(table.headerRow, i + 1, header), `unknown column "${header}" (known: ${specs.map((s) => s.label).join(', ')})`);
      return;
    }
    const twin = columns.find((c) => c.spec === match.spec);
    if (twin) b.problem(table.at(table.headerRow, i + 1, header), `repeats the column "${twin.header}" (${match.spec.label})`);
    else columns.push({ index: i, spec: match.spec, unit: match.unit, header });
  });
  for (const spec of specs) {
    if (spec.required && !columns.some((c) => c.spec === spec)) {
      b.problem(table.at(table.headerRow), `${table.title} has no column "${spec.label}"`, [...base, '*', ...spec.key]);
    }
  }
  return columns;
}

/** Where a row goes: appended under a base path, or placed by the value of its reference column (a heater id). */
export type RowTarget = FieldPath | ((ref: string | undefined, rowAt: Location) => FieldPath | undefined);

/**
 * Reads every non-blank row of a table. A spec with an empty key is the row's reference column:
 * its text goes to a target function that says where the row belongs (or records why nowhere).
 */
export function readTable(b: RequestBuilder, table: Table, specs: FieldSpec[], target: RowTarget, ctx: InstantContext): TableRow[] {
  const columns = matchColumns(b, table, specs, typeof target === 'function' ? [] : target);
  const refColumn = columns.find((c) => c.spec.key.length === 0);
  const read: TableRow[] = [];
  for (const row of table.rows) {
    if (row.cells.every(isBlank)) continue;
    const ref = refColumn ? readText(row.cells[refColumn.index]) : undefined;
    const path =
      typeof target === 'function' ? target(ref?.ok && ref.value ? ref.value : undefined, table.at(row.row)) : [...target, read.length];
    read.push(row);
    if (!path) continue;
    b.set(path, {}, table.at(row.row));
    for (const col of columns) {
      if (col === refColumn) continue;
      const raw = row.cells[col.index];
      const field = [...path, ...col.spec.key];
      const at = table.at(row.row, col.index + 1, col.header);
      if (isBlank(raw)) b.locate(field, at);
      else b.put(field, readCell(col.spec, raw, col.unit, ctx), at);
    }
  }
  return read;
}

/** Keys of one part of the request: which specs, under which canonical path. */
export interface KeySection {
  specs: FieldSpec[];
  base: FieldPath;
}

export interface KeyValue {
  key: string;
  value: unknown;
  keyAt: Location;
  valueAt: Location;
}

/** Reads `key | value` rows (a key/value sheet or a CSV preamble), each key into the section that knows it. */
export function readKeyValues(b: RequestBuilder, entries: KeyValue[], sections: KeySection[], ctx: InstantContext): void {
  const seen = new Set<FieldSpec>();
  const known = sections.flatMap((s) => s.specs.map((spec) => spec.label)).join(', ');
  for (const e of entries) {
    const section = sections.find((s) => matchField(e.key, s.specs));
    const match = section && matchField(e.key, section.specs);
    if (!section || !match) {
      b.problem(e.keyAt, `unknown key "${e.key}" (known: ${known})`);
      continue;
    }
    if (seen.has(match.spec)) b.problem(e.keyAt, `repeats the key ${match.spec.label}`);
    seen.add(match.spec);
    const field = [...section.base, ...match.spec.key];
    if (isBlank(e.value)) b.locate(field, e.valueAt);
    else b.put(field, readCell(match.spec, e.value, match.unit, ctx), e.valueAt);
  }
}

/**
 * Takes the `date_format` entry out of the list (it is not a canonical field) and returns what
 * instants need: how slash dates are written, and the schedule date a bare time falls on.
 */
export function takeDateFormat(b: RequestBuilder, entries: KeyValue[], dateFormatKey: FieldSpec): { slashDates?: SlashDateOrder } {
  const i = entries.findIndex((e) => matchField(e.key, [dateFormatKey]));
  if (i < 0) return {};
  const [entry] = entries.splice(i, 1);
  const text = typeof entry.value === 'string' ? entry.value.trim().toUpperCase() : '';
  if (/^M{1,2}\/D{1,2}\/Y{2,4}$/.test(text)) return { slashDates: 'MDY' };
  if (/^D{1,2}\/M{1,2}\/Y{2,4}$/.test(text)) return { slashDates: 'DMY' };
  b.problem(entry.valueAt, `${shown(entry.value)} is not MM/DD/YYYY or DD/MM/YYYY`);
  return {};
}

/** The schedule date already read, for bare times of day. */
export function scheduleDateOf(b: RequestBuilder): string | undefined {
  const schedule = b.request.schedule as { scheduleDate?: unknown } | undefined;
  return typeof schedule?.scheduleDate === 'string' ? schedule.scheduleDate : undefined;
}
