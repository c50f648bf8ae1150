import type { Location } from '../location.ts';
import { formatFieldPath } from '../validate.ts';
import { SourceMap, type Conversion, type ConversionProblem, type IntakeAdapter, type Sniffed } from './types.ts';

/** In a JSON file in the canonical shape, a field's location is its own path. */
export class JsonPathSourceMap extends SourceMap {
  constructor(
    fallback: Location,
    /** Turns a canonical path into the file's own path (identity for canonical JSON). */
    private readonly rename: (path: readonly PropertyKey[]) => string = formatFieldPath,
  ) {
    super(fallback);
  }

  override locate(path: readonly PropertyKey[]) {
    return { location: { ...this.fallback, field: this.rename(path) }, exact: true, depth: path.length };
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The run request as `domain/run-request.ts` defines it: `{ schedule, tariff?, equipment?, settings?, notify? }`. */
export const canonicalJsonAdapter: IntakeAdapter = {
  format: 'json',
  title: 'canonical JSON run request',
  extensions: ['json'],
  sniff(s: Sniffed) {
    const json = s.json();
    if (!json.ok) return { ok: false, reason: json.reason };
    if (!isPlainObject(json.value)) return { ok: false, reason: 'the JSON is not an object' };
    if (!isPlainObject(json.value.schedule)) {
      return {
        ok: false,
        reason: `has no "schedule" object (top-level keys: ${Object.keys(json.value).slice(0, 8).join(', ') || 'none'})`,
      };
    }
    return { ok: true, score: 90 };
  },
  async convert(s: Sniffed): Promise<Conversion> {
    const fallback: Location = s.input.fileName ? { file: s.input.fileName } : {};
    const problems: ConversionProblem[] = [];
    const object = jsonObject(s, problems);
    // A client id routed the file here; it is not part of the request.
    const { client_id: _a, clientId: _b, ...request } = object ?? {};
    return { request: object ? request : {}, sources: new JsonPathSourceMap(fallback), problems };
  },
};

/** The file's top-level JSON object, or a problem saying where it stops being one. */
export function jsonObject(s: Sniffed, problems: ConversionProblem[]): Record<string, unknown> | undefined {
  const file = s.input.fileName;
  const json = s.json();
  if (!json.ok) {
    problems.push({ location: { file, line: json.line, column: json.column }, message: json.reason, path: [] });
    return undefined;
  }
  if (!isPlainObject(json.value)) {
    problems.push({ location: { file, line: 1, column: 1 }, message: 'must be a JSON object', path: [] });
    return undefined;
  }
  return json.value;
}
