import { DateTime } from 'luxon';
import { CANONICAL_UNIT, isUnitOf, knownUnits, toCanonicalUnit, type Dimension } from './units.ts';

/** A converted value, or what is wrong with the raw one. */
export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fail = <T>(message: string): Read<T> => ({ ok: false, message });

/** Shows a raw value in a message, shortened. */
export function shown(raw: unknown): string {
  if (typeof raw !== 'string') return raw instanceof Date ? raw.toISOString() : String(JSON.stringify(raw) ?? raw).slice(0, 40);
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

/**
 * Reads a number written by a person or a spreadsheet: `1200`, `-3.5`, `8,3` (decimal comma),
 * `1.234,5` / `1,234.5` / `1 234,5` (thousands marks only beside a decimal mark or as spaces),
 * `1e3`. A lone `.` or `,` is always the decimal mark.
 */
export function parseNumberText(text: string): number | undefined {
  const t = text.trim().replace(/^\+/, '');
  let normal: string | undefined;
  if (/^-?\d+$/.test(t) || /^-?\d*[.,]\d+$/.test(t) || /^-?\d+[.,]$/.test(t)) normal = t.replace(',', '.');
  else if (/^-?\d{1,3}(\.\d{3})+,\d*$/.test(t)) normal = t.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(,\d{3})+\.\d*$/.test(t)) normal = t.replace(/,/g, '');
  else if (/^-?\d{1,3}([ \u00a0\u202f']\d{3})+([.,]\d+)?$/.test(t)) normal = t.replace(/[ \u00a0\u202f']/g, '').replace(',', '.');
  else if (/^-?\d+([.,]\d+)?e[+-]?\d+$/i.test(t)) normal = t.replace(',', '.');
  if (normal === undefined) return undefined;
  const value = Number(normal);
  return Number.isFinite(value) ? value : undefined;
}

export function readNumber(raw: unknown): Read<number> {
  if (typeof raw === 'number') return Number.isFinite(raw) ? ok(raw) : fail(`${raw} is not a finite number`);
  if (typeof raw === 'string') {
    const value = parseNumberText(raw);
    return value === undefined ? fail(`${shown(raw)} is not a number`) : ok(value);
  }
  return fail(`${shown(raw)} is not a number`);
}

/**
 * A number in `dimension`, converted to its canonical unit (kWh, kW, min, °C, fraction). The unit
 * comes from the value itself (`0.9 MWh`, `90 %`), else from the header (`Heating (MWh)`), else
 * the canonical one.
 */
export function readQuantity(raw: unknown, dimension: Dimension, headerUnit?: string): Read<number> {
  let numberPart: unknown = raw;
  let unit = headerUnit;
  if (typeof raw === 'string') {
    const m = /^\s*(.*?\d\.?)\s*([A-Za-z°%][A-Za-z°%/]*)\s*$/.exec(raw);
    if (m && isUnitOf(dimension, m[2])) {
      numberPart = m[1];
      unit = m[2];
    } else if (m && !/e[+-]?\d+$/i.test(raw.trim())) {
      return fail(`unit "${m[2]}" is not a unit of ${dimension} (known: ${knownUnits(dimension).join(', ')})`);
    }
  }
  const n = readNumber(numberPart);
  if (!n.ok || unit === undefined) return n;
  const converted = toCanonicalUnit(dimension, n.value, unit);
  if (converted === undefined) return fail(`unit "${unit}" is not a unit of ${dimension} (known: ${knownUnits(dimension).join(', ')})`);
  return ok(converted);
}

export const describeUnit = (dimension: Dimension) => CANONICAL_UNIT[dimension];

const TRUE = new Set(['true', 'yes', 'y', '1', 'x', 'on', 'ja', 'oui', 'si', 'sí']);
const FALSE = new Set(['false', 'no', 'n', '0', '', 'off', 'nein', 'non']);

export function readBoolean(raw: unknown): Read<boolean> {
  if (typeof raw === 'boolean') return ok(raw);
  if (raw === 0 || raw === 1) return ok(raw === 1);
  if (typeof raw === 'string') {
    const t = raw.trim().toLowerCase();
    if (TRUE.has(t)) return ok(true);
    if (FALSE.has(t)) return ok(false);
  }
  return fail(`${shown(raw)} is not yes/no (use true/false, yes/no, 1/0 or x)`);
}

/** Text as written; numbers (an id typed into a spreadsheet as 101) become their digits. */
export function readText(raw: unknown): Read<string> {
  if (typeof raw === 'string') return ok(raw.trim());
  if (typeof raw === 'number' && Number.isFinite(raw)) return ok(String(raw));
  if (typeof raw === 'boolean') return ok(String(raw));
  return fail(`${shown(raw)} is not text`);
}

/** `HTR-001|HTR-002`, `HTR-001, HTR-002` or `HTR-001;HTR-002`. */
export function readList(raw: unknown): Read<string[]> {
  if (Array.isArray(raw)) {
    const items = raw.map(readText);
    const bad = items.find((r) => !r.ok);
    return bad && !bad.ok ? fail(bad.message) : ok(items.map((r) => (r as { value: string }).value).filter(Boolean));
  }
  const text = readText(raw);
  if (!text.ok) return text;
  return ok(
    text.value
      .split(/[|,;\n]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/** How an instant's date is written where it is ambiguous (`03/04/2026`). */
export type SlashDateOrder = 'MDY' | 'DMY';

export interface InstantContext {
  /** The schedule's date: a bare time of day (`06:00`, `24:00`) falls on it. */
  scheduleDate?: string;
  slashDates?: SlashDateOrder;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function localIso(y: number, mo: number, d: number, h: number, mi: number, s: number, offset = ''): Read<string> {
  if (h === 24 && mi === 0 && s === 0) {
    const next = DateTime.fromObject({ year: y, month: mo, day: d }, { zone: 'utc' }).plus({ days: 1 });
    if (!next.isValid) return fail(`${y}-${pad(mo)}-${pad(d)} is not a calendar date`);
    return localIso(next.year, next.month, next.day, 0, 0, 0, offset);
  }
  const check = DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, { zone: 'utc' });
  if (!check.isValid) return fail(`${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)} is not a date and time (${check.invalidExplanation})`);
  return ok(`${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${offset}`);
}

function normalOffset(raw: string | undefined): string {
  if (!raw) return '';
  if (raw === 'Z' || raw === 'z') return 'Z';
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(raw)!;
  return `${m[1]}${m[2]}:${m[3]}`;
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?`;
const OFFSET = String.raw`(Z|z|[+-]\d{2}:?\d{2})?`;
const ISO_RE = new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})(?:[T ]+${TIME})?\s*${OFFSET}$`);
const DOT_RE = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+${TIME})?\s*${OFFSET}$`);
const SLASH_RE = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})(?:,?\s+${TIME})?\s*${OFFSET}$`);
const TIME_RE = new RegExp(String.raw`^${TIME}$`);

/**
 * An instant as ISO 8601 text for the canonical model: local wall-clock time (read later in the
 * site's zone) unless an offset is written. Accepts ISO (`2026-11-24T06:00`, `2026-11-24 06:00:00Z`),
 * `24.11.2026 06:00`, slash dates when their order is declared, a bare time on the schedule's date,
 * and spreadsheet dates (whose wall clock exceljs hands over as UTC).
 */
export function readInstant(raw: unknown, ctx: InstantContext = {}): Read<string> {
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return fail('is not a valid date');
    // Spreadsheet serials carry float noise: round to the second.
    let d = new Date(Math.round(raw.getTime() / 1000) * 1000);
    if (d.getUTCFullYear() <= 1900) {
      // A time-only cell (Excel's day 0 is 1899-12-30): a time on the schedule's date, [h]:mm past it counting on.
      if (!ctx.scheduleDate) return fail('is a time of day without a date (the schedule date is unknown)');
      d = new Date(Date.parse(`${ctx.scheduleDate}T00:00:00Z`) + (d.getTime() - Date.UTC(1899, 11, 30)));
    }
    return localIso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
  }
  const text = readText(raw);
  if (!text.ok) return fail(`${shown(raw)} is not a date and time`);
  const t = text.value;
  let m = ISO_RE.exec(t);
  if (m) {
    if (m[4] === undefined) return fail(`${shown(t)} has a date but no time of day`);
    return localIso(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 0), normalOffset(m[7]));
  }
  m = DOT_RE.exec(t);
  if (m) {
    if (m[4] === undefined) return fail(`${shown(t)} has a date but no time of day`);
    return localIso(+m[3], +m[2], +m[1], +m[4], +m[5], +(m[6] ?? 0), normalOffset(m[7]));
  }
  m = SLASH_RE.exec(t);
  if (m) {
    if (!ctx.slashDates)
      return fail(`${shown(t)}: a date with slashes can be read two ways; write YYYY-MM-DD or DD.MM.YYYY, or declare the date format`);
    if (m[4] === undefined) return fail(`${shown(t)} has a date but no time of day`);
    const [month, day] = ctx.slashDates === 'MDY' ? [+m[1], +m[2]] : [+m[2], +m[1]];
    return localIso(+m[3], month, day, +m[4], +m[5], +(m[6] ?? 0), normalOffset(m[7]));
  }
  m = TIME_RE.exec(t);
  if (m) {
    if (!ctx.scheduleDate) return fail(`${shown(t)} is a time of day without a date (the schedule date is unknown)`);
    const [y, mo, d] = ctx.scheduleDate.split('-').map(Number);
    return localIso(y, mo, d, +m[1], +m[2], +(m[3] ?? 0));
  }
  return fail(`${shown(t)} is not a date and time (write 2026-11-24T06:00, 2026-11-24 06:00 or 24.11.2026 06:00)`);
}

/** A calendar date `YYYY-MM-DD` from ISO, dotted or (declared) slash text, or a spreadsheet date. */
export function readDate(raw: unknown, ctx: InstantContext = {}): Read<string> {
  if (raw instanceof Date || (typeof raw === 'string' && /^[\d./-]+$/.test(raw.trim()))) {
    const withTime = raw instanceof Date ? raw : `${raw.trim()} 00:00`;
    const r = readInstant(withTime, ctx);
    return r.ok ? ok(r.value.slice(0, 10)) : fail(r.message.replace(' 00:00', ''));
  }
  return fail(`${shown(raw)} is not a date (write YYYY-MM-DD)`);
}
