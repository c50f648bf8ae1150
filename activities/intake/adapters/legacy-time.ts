import { DateTime, IANAZone } from 'luxon';
import { readNumber, shown, type Read } from '../values.ts';

/**
 * Local times of the legacy ERP format, read in the site's time zone: a shift window
 * `MM/DD/YYYY HH:MM - HH:MM` (an end at or before the start is the next day), hours as decimals
 * counted from the shift's first midnight (8.3 is 08:18; 26.5 is 02:30 the next day), breaks as
 * `HH:MM` within the shift.
 */

export interface Shift {
  start: DateTime;
  end: DateTime;
  /** Local date of the start: the schedule date. */
  date: string;
  /** Local days from the schedule date's midnight that the shift touches. */
  horizonDays: number;
}

const fail = <T>(message: string): Read<T> => ({ ok: false, message });

/** The local wall-clock time, refused where the clocks skip it (the spring-forward gap). */
export function localTime(zone: string, y: number, mo: number, d: number, h: number, mi: number, s = 0): Read<DateTime> {
  const dt = DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, { zone });
  if (!dt.isValid) return fail(`${y}-${mo}-${d} ${h}:${mi} is not a date and time (${dt.invalidExplanation})`);
  if (dt.hour !== h || dt.minute !== mi || dt.day !== d) {
    return fail(
      `${dt.toFormat('yyyy-MM-dd')} ${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')} does not exist in ${zone} (the clocks skip it)`,
    );
  }
  return { ok: true, value: dt };
}

export function checkZone(zone: unknown): Read<string> {
  return typeof zone === 'string' && IANAZone.isValidZone(zone)
    ? { ok: true, value: zone }
    : fail(`${shown(zone)} is not an IANA time zone such as America/Chicago`);
}

const SHIFT_RE = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})\s*-\s*(?:(\d{1,2})\/(\d{1,2})\/(\d{4})\s+)?(\d{1,2}):(\d{2})\s*$/;

/** `11/24/2026 06:00 - 14:00`, `11/24/2026 22:00 - 06:00` (across midnight), `11/24/2026 06:00 - 11/26/2026 06:00`. */
export function parseShiftWindow(raw: unknown, zone: string): Read<Shift> {
  const m = typeof raw === 'string' ? SHIFT_RE.exec(raw) : null;
  if (!m) return fail(`${shown(raw)} is not a shift window "MM/DD/YYYY HH:MM - HH:MM"`);
  const [month, day, year, h1, m1] = [+m[1], +m[2], +m[3], +m[4], +m[5]];
  const start = localTime(zone, year, month, day, h1, m1);
  if (!start.ok) return start;
  const [h2, m2] = [+m[9], +m[10]];
  if (h2 > 24 || (h2 === 24 && m2 !== 0) || m2 > 59) return fail(`${shown(raw)}: ${m[9]}:${m[10]} is not a time of day`);
  let endDay = m[6] ? DateTime.fromObject({ year: +m[8], month: +m[6], day: +m[7] }, { zone }) : start.value.startOf('day');
  if (!endDay.isValid) return fail(`${shown(raw)}: the end date is not a calendar date`);
  if (h2 === 24) endDay = endDay.plus({ days: 1 });
  const sameDayEnd = localTime(zone, endDay.year, endDay.month, endDay.day, h2 % 24, m2);
  if (!sameDayEnd.ok) return sameDayEnd;
  let end = sameDayEnd.value;
  if (!m[6] && h2 !== 24 && end <= start.value) {
    const next = endDay.plus({ days: 1 });
    const nextEnd = localTime(zone, next.year, next.month, next.day, h2, m2);
    if (!nextEnd.ok) return nextEnd;
    end = nextEnd.value;
  }
  if (end <= start.value) return fail(`${shown(raw)} ends before it starts`);
  const first = start.value.startOf('day');
  const lastMidnight = end.startOf('day');
  const horizonDays = Math.round(lastMidnight.diff(first, 'days').days) + (end.equals(lastMidnight) ? 0 : 1);
  if (horizonDays > 7) return fail(`${shown(raw)} spans ${horizonDays} days; a schedule covers at most 7`);
  return { ok: true, value: { start: start.value, end, date: start.value.toISODate()!, horizonDays } };
}

/**
 * Decimal hours from the shift date's midnight, exact to the second: 8.3 → 08:18:00, 15.25 →
 * 15:15, 26.5 → 02:30 the next day (wall-clock time, so a DST day does not shift it).
 */
export function hourOfShift(raw: unknown, shift: Shift): Read<DateTime> {
  const n = readNumber(raw);
  if (!n.ok) return n;
  if (n.value < 0 || n.value >= 24 * 8) return fail(`${n.value} is not an hour between 0 and ${24 * 8} from the shift date's midnight`);
  const seconds = Math.round(n.value * 3600);
  const day = shift.start.startOf('day').plus({ days: Math.floor(seconds / 86400) });
  const s = seconds % 86400;
  return localTime(shift.start.zoneName!, day.year, day.month, day.day, Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60);
}

const TIME_RE = /^\s*(\d{1,2}):(\d{2})\s*$/;
const STAMP_RE = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})\s*$/;

/** A break's `HH:MM` is its first occurrence at or after `after` (the shift start, or the break's own start); `MM/DD/YYYY HH:MM` is taken as written. */
export function timeWithin(raw: unknown, after: DateTime, inclusive: boolean): Read<DateTime> {
  const zone = after.zoneName!;
  const stamp = typeof raw === 'string' ? STAMP_RE.exec(raw) : null;
  if (stamp) return localTime(zone, +stamp[3], +stamp[1], +stamp[2], +stamp[4], +stamp[5]);
  const m = typeof raw === 'string' ? TIME_RE.exec(raw) : null;
  if (!m || +m[1] > 23 || +m[2] > 59) return fail(`${shown(raw)} is not a time HH:MM (or MM/DD/YYYY HH:MM)`);
  for (let k = 0; k <= 1; k++) {
    const day = after.startOf('day').plus({ days: k });
    const t = localTime(zone, day.year, day.month, day.day, +m[1], +m[2]);
    if (!t.ok) return t;
    if (t.value > after || (inclusive && t.value.equals(after))) return t;
  }
  return fail(`${shown(raw)} does not follow ${after.toFormat('HH:mm')}`);
}

export const hhmm = (dt: DateTime) => dt.toFormat(dt.second ? 'HH:mm:ss' : 'HH:mm');
