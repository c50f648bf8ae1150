import type { z } from 'zod';
import { RunRequestSchema, type RunRequest } from '../../domain/run-request.ts';
import { formatLocation, invalidInput, type SourceProblem } from './location.ts';
import type { Conversion, FieldPath, SourceMap } from './adapters/types.ts';

/**
 * Index of the first character no field of a schedule may hold: C0 controls other than tab and
 * line breaks, DEL, and halves of surrogate pairs standing alone; -1 when there is none.
 */
function firstForbidden(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f) return i;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return i;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

function describeChar(text: string): string {
  const i = firstForbidden(text);
  return `U+${text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')} at character ${i + 1}`;
}

/** Strings (and object keys) holding control characters or broken UTF-16, by path. */
function forbiddenCharacters(value: unknown, path: FieldPath, out: { path: FieldPath; message: string }[]): void {
  if (out.length >= 100) return;
  if (typeof value === 'string') {
    if (firstForbidden(value) >= 0) out.push({ path, message: `holds a control character or broken Unicode (${describeChar(value)})` });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => forbiddenCharacters(v, [...path, i], out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (firstForbidden(k) >= 0) out.push({ path, message: `has a key holding a control character (${describeChar(k)})` });
      else forbiddenCharacters(v, [...path, k], out);
    }
  }
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const field = (v: unknown, key: string): unknown => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined);

/** Jobs that name heaters the request's own heater list does not have (only checkable when it has one). */
function unknownHeaters(request: Record<string, unknown>): { path: FieldPath; message: string }[] {
  const equipment = request.equipment;
  if (!Array.isArray(equipment)) return [];
  const known = new Set(
    equipment
      .map((e) => field(e, 'id'))
      .filter((id): id is string => typeof id === 'string')
      .map((id) => id.trim()),
  );
  const list = [...known].join(', ');
  const out: { path: FieldPath; message: string }[] = [];
  asArray(field(request.schedule, 'jobs')).forEach((job, i) => {
    asArray(field(job, 'allowedEquipment')).forEach((id, k) => {
      if (typeof id === 'string' && !known.has(id.trim()))
        out.push({
          path: ['schedule', 'jobs', i, 'allowedEquipment', k],
          message: `names no heater of this request (${id}; heaters: ${list})`,
        });
    });
    const locked = field(field(job, 'lock'), 'equipmentId');
    if (typeof locked === 'string' && !known.has(locked.trim()))
      out.push({
        path: ['schedule', 'jobs', i, 'lock', 'equipmentId'],
        message: `names no heater of this request (${locked}; heaters: ${list})`,
      });
  });
  return out;
}

/** Whether an adapter already reported this path or one above it ('*' matches any index). */
function coveredBy(problems: { path?: FieldPath }[], path: readonly PropertyKey[]): boolean {
  return problems.some((p) => p.path !== undefined && p.path.length <= path.length && p.path.every((k, i) => k === '*' || k === path[i]));
}

/** `schedule.jobs[3].heatingKwh` */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(root)';
}

/** `duplicates the id of jobs[0]` → `… jobs[0] (row 6)`: other jobs named where the file has them. */
function withJobPlaces(sources: SourceMap, message: string): string {
  return message.replace(/\bjobs\[(\d+)\]/g, (mention, n: string) => {
    const { location } = sources.locate(['schedule', 'jobs', Number(n)]);
    const place = formatLocation({ ...location, file: undefined });
    return place === '(file)' || place === `schedule.${mention}` ? mention : `${mention} (${place})`;
  });
}

/** A problem at a canonical path, told at the source location that holds it. */
function located(sources: SourceMap, path: readonly PropertyKey[], raw: string): SourceProblem {
  const { location, exact, depth } = sources.locate(path);
  const message = withJobPlaces(sources, raw);
  const missing = /received undefined$/.test(message);
  if (exact) return { location, message: missing ? 'is missing' : message };
  const tail = path.slice(depth);
  const rest = tail.length === 1 && typeof tail[0] === 'number' ? `item ${tail[0] + 1}` : formatFieldPath(tail);
  return { location, message: missing ? `${rest} is missing` : `${rest}: ${message}` };
}

function zodProblems(error: z.ZodError, sources: SourceMap, reported: { path?: FieldPath }[]): SourceProblem[] {
  return error.issues.filter((issue) => !coveredBy(reported, issue.path)).map((issue) => located(sources, issue.path, issue.message));
}

/**
 * Validates an adapter's conversion against the canonical model and lists every problem at once,
 * each at its place in the source: what the adapter could not read, what the schema refuses,
 * control characters, jobs naming heaters the request does not have.
 */
export function validateConversion(conversion: Conversion, what: string): RunRequest {
  const problems: SourceProblem[] = conversion.problems.map(({ location, message }) => ({ location, message }));
  const extra: { path: FieldPath; message: string }[] = [];
  forbiddenCharacters(conversion.request, [], extra);
  extra.push(...unknownHeaters(conversion.request));
  const told = [...conversion.problems, ...(conversion.covered ?? []).map((path) => ({ path }))];
  const fresh = extra.filter((p) => !coveredBy(told, p.path));
  problems.push(...fresh.map((p) => located(conversion.sources, p.path, p.message)));
  const parsed = RunRequestSchema.safeParse(conversion.request);
  if (!parsed.success) problems.push(...zodProblems(parsed.error, conversion.sources, [...told, ...fresh]));
  if (problems.length || !parsed.success) throw invalidInput(`invalid ${what}`, problems);
  return parsed.data;
}
