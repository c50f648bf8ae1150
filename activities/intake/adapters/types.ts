import type { Location, SourceProblem } from '../location.ts';
import type { RawInput, TextDecoding } from '../source.ts';

export const INPUT_FORMATS = ['json', 'legacy-erp', 'csv', 'xlsx', 'xml', 'dto'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** What a submission stores when its submitter named no format: intake recognises it from the content. */
export const AUTO_FORMAT = 'auto';

/** A canonical field path: ['schedule', 'jobs', 3, 'heatingKwh']. */
export type FieldPath = (string | number)[];

/** Lazily computed views of the input that several adapters look at. */
export interface Sniffed {
  input: RawInput;
  /** Lower-case file extension without the dot, when the file name has one. */
  extension: string | undefined;
  text(): TextDecoding;
  json(): { ok: true; value: unknown } | { ok: false; reason: string; line?: number; column?: number };
}

/** Whether an adapter recognises the input: how sure it is, or why not. */
export type Verdict = { ok: true; score: number } | { ok: false; reason: string };

/** What a client profile or the caller knows that the file may not say. */
export interface AdapterContext {
  tenant?: string;
  site?: string;
  timeZone?: string;
}

/** Canonical paths mapped to where their values came from, for messages. */
export class SourceMap {
  private readonly map = new Map<string, Location>();

  constructor(readonly fallback: Location) {}

  set(path: FieldPath, location: Location): void {
    this.map.set(pathKey(path), location);
  }

  /** The location of the path or of its nearest recorded ancestor. */
  locate(path: readonly PropertyKey[]): { location: Location; exact: boolean; depth: number } {
    for (let n = path.length; n > 0; n--) {
      const found = this.map.get(pathKey(path.slice(0, n)));
      if (found) return { location: found, exact: n === path.length, depth: n };
    }
    return { location: this.fallback, exact: false, depth: 0 };
  }
}

export const pathKey = (path: readonly PropertyKey[]) => path.map(String).join('\u0001');

/** A problem the adapter found, with the canonical path it concerns (so validation does not repeat it). */
export interface ConversionProblem extends SourceProblem {
  path?: FieldPath;
}

/** An adapter's result: a run request in canonical shape, not yet validated. */
export interface Conversion {
  request: Record<string, unknown>;
  sources: SourceMap;
  problems: ConversionProblem[];
  /** Paths whose problems were told elsewhere (validation stays quiet about them). */
  covered?: FieldPath[];
}

export interface IntakeAdapter {
  format: InputFormat;
  title: string;
  /** File extensions that usually hold this format (a hint only: the content decides). */
  extensions: string[];
  sniff(s: Sniffed): Verdict;
  convert(s: Sniffed, context: AdapterContext): Promise<Conversion>;
}
