import { DateTime, IANAZone } from 'luxon';
import type { Location } from '../location.ts';
import type { Read } from '../values.ts';
import { SourceMap, type Conversion, type ConversionProblem, type FieldPath } from './types.ts';

/** Builds a canonical request while remembering where each value came from and what could not be read. */
export class RequestBuilder {
  readonly request: Record<string, unknown> = {};
  readonly sources: SourceMap;
  readonly problems: ConversionProblem[] = [];
  readonly covered: FieldPath[] = [];

  constructor(readonly fallback: Location) {
    this.sources = new SourceMap(fallback);
  }

  set(path: FieldPath, value: unknown, location?: Location): void {
    if (location) this.sources.set(path, location);
    if (value === undefined) return;
    let node: Record<string | number, unknown> = this.request;
    path.forEach((key, i) => {
      if (i === path.length - 1) {
        node[key] = value;
        return;
      }
      if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object')
        node[key] = typeof path[i + 1] === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    });
  }

  /** Sets an empty object or list at `path` unless something is there already. */
  ensure(path: FieldPath, empty: object, location: Location): void {
    let node: unknown = this.request;
    for (const key of path) node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
    if (node === undefined) this.set(path, empty, location);
    else this.sources.set(path, location);
  }

  locate(path: FieldPath, location: Location): void {
    this.sources.set(path, location);
  }

  /** A problem at `location`; `path` (which may hold '*' for any index) keeps validation from repeating it. */
  problem(location: Location, message: string, path?: FieldPath): void {
    this.problems.push({ location, message, path });
  }

  /** Keeps validation quiet about a path whose problem was already told elsewhere. */
  cover(path: FieldPath): void {
    this.covered.push(path);
  }

  /** Stores a read value, or records why it could not be read. */
  put<T>(path: FieldPath, read: Read<T>, location: Location): T | undefined {
    if (!read.ok) {
      this.sources.set(path, location);
      this.problem(location, read.message, path);
      return undefined;
    }
    this.set(path, read.value, location);
    return read.value;
  }

  result(): Conversion {
    return { request: this.request, sources: this.sources, problems: this.problems, covered: this.covered };
  }
}

/** Heater windows are instants with an offset: ones written in the site's local time get the zone's. */
export function zoneWindows(b: RequestBuilder): void {
  const zone = (b.request.schedule as { timeZone?: unknown } | undefined)?.timeZone;
  if (typeof zone !== 'string' || !IANAZone.isValidZone(zone) || !Array.isArray(b.request.equipment)) return;
  for (const heater of b.request.equipment as { unavailability?: Record<string, unknown>[] }[]) {
    for (const w of heater?.unavailability ?? []) {
      for (const key of ['start', 'end']) {
        if (typeof w[key] !== 'string' || /(Z|[+-]\d{2}:\d{2})$/.test(w[key])) continue;
        const local = DateTime.fromISO(w[key], { zone });
        if (local.isValid) w[key] = local.toISO();
      }
    }
  }
}
