import { extname } from 'node:path';
import { DomainError } from '../../domain/errors.ts';
import { canonicalJson, sha256Hex } from '../../domain/hashing.ts';
import type { RunRequest } from '../../domain/run-request.ts';
import { canonicalJsonAdapter, isPlainObject } from './adapters/canonical-json.ts';
import { csvAdapter } from './adapters/csv.ts';
import { legacyErpAdapter } from './adapters/legacy-erp.ts';
import { schedulerDtoAdapter } from './adapters/scheduler-dto.ts';
import { xlsxAdapter } from './adapters/xlsx.ts';
import { xmlAdapter } from './adapters/xml.ts';
import { INPUT_FORMATS, type AdapterContext, type IntakeAdapter, type InputFormat, type Sniffed, type Verdict } from './adapters/types.ts';
import { parseJsonText } from './json-text.ts';
import { invalidInput, type Location, type SourceProblem } from './location.ts';
import { checkSize, decodeText, inputSha256, type RawInput, type TextDecoding } from './source.ts';
import { validateConversion } from './validate.ts';

/** Every input shape intake understands; the first of equal fingerprint scores wins nothing: ties are refused. */
export const ADAPTERS: readonly IntakeAdapter[] = [
  canonicalJsonAdapter,
  legacyErpAdapter,
  schedulerDtoAdapter,
  xmlAdapter,
  csvAdapter,
  xlsxAdapter,
];

/** Names a caller may use for a format. */
const FORMAT_NAMES: Record<string, InputFormat> = {
  json: 'json',
  canonical: 'json',
  'legacy-erp': 'legacy-erp',
  legacy: 'legacy-erp',
  erp: 'legacy-erp',
  csv: 'csv',
  xlsx: 'xlsx',
  excel: 'xlsx',
  xml: 'xml',
  dto: 'dto',
  'scheduler-dto': 'dto',
};

/** A client whose files always come in one shape, with what its files leave out (tenant, site, time zone). */
export interface ClientProfile {
  format: InputFormat;
  context?: AdapterContext;
}

/** The seed's two clients: A sends the canonical model, B its legacy ERP export. */
export const DEFAULT_CLIENTS: Readonly<Record<string, ClientProfile>> = {
  client_a: { format: 'json' },
  client_b: { format: 'legacy-erp' },
};

export interface IntakeOptions {
  /** An explicit format (`json`, `legacy-erp`, `csv`, `xlsx`, `xml`, `dto`, or an alias): no fingerprinting. */
  format?: string;
  /** A registered client: its profile names the format and fills in what its files leave out. */
  clientId?: string;
  clients?: Readonly<Record<string, ClientProfile>>;
}

/** The canonical request read from a file, with what ties it to the bytes. */
export interface IntakeRead {
  request: RunRequest;
  format: InputFormat;
  /** SHA-256 of the file's bytes. */
  sha256: string;
  sizeBytes: number;
  /** SHA-256 of the canonical JSON of the request: equal for the same day in any format. */
  canonicalHash: string;
}

/** The views of the input that adapters share, each computed once. */
export function sniff(input: RawInput): Sniffed {
  let text: TextDecoding | undefined;
  let json: ReturnType<Sniffed['json']> | undefined;
  const ext = input.fileName ? extname(input.fileName).slice(1).toLowerCase() : '';
  const self: Sniffed = {
    input,
    extension: ext || undefined,
    text: () => (text ??= decodeText(input.bytes)),
    json: () => {
      if (json) return json;
      const t = self.text();
      if (!t.ok) return (json = { ok: false, reason: t.reason });
      if (!/^\s*[[{]/.test(t.text)) return (json = { ok: false, reason: 'not JSON (does not start with { or [)' });
      const parsed = parseJsonText(t.text);
      return (json = parsed.ok
        ? parsed
        : {
            ok: false,
            reason: `not valid JSON at line ${parsed.line}, column ${parsed.column}: ${parsed.reason}`,
            line: parsed.line,
            column: parsed.column,
          });
    },
  };
  return self;
}

export function formatByName(name: string): InputFormat {
  const format = Object.hasOwn(FORMAT_NAMES, name.trim().toLowerCase()) ? FORMAT_NAMES[name.trim().toLowerCase()] : undefined;
  if (!format) {
    throw invalidInput(`unknown input format "${name}" (known: ${INPUT_FORMATS.join(', ')})`, [
      { location: { field: 'format' }, message: `"${name}" is not a format` },
    ]);
  }
  return format;
}

const adapterFor = (format: InputFormat) => ADAPTERS.find((a) => a.format === format)!;

/** A `client_id` (or `clientId`) at the top of a JSON file, with where it is. */
function clientIdInFile(s: Sniffed): { id: string; where: Location } | undefined {
  const text = s.text();
  if (!text.ok || !/^\s*\{/.test(text.text)) return undefined;
  const json = s.json();
  if (!json.ok || !isPlainObject(json.value)) return undefined;
  const key = json.value.client_id !== undefined ? 'client_id' : 'clientId';
  const id = json.value[key];
  return typeof id === 'string' ? { id, where: { file: s.input.fileName, field: key } } : undefined;
}

/**
 * Picks the adapter: an explicit format, else the client's (option or `client_id` in a JSON
 * file), else the one whose fingerprint matches best. Refuses, listing every candidate and why
 * it was rejected, when none matches or two match equally well.
 */
export function chooseAdapter(s: Sniffed, options: IntakeOptions = {}): { adapter: IntakeAdapter; context: AdapterContext } {
  if (options.format) return { adapter: adapterFor(formatByName(options.format)), context: {} };
  const clients = options.clients ?? DEFAULT_CLIENTS;
  const client = options.clientId !== undefined ? { id: options.clientId, where: { field: 'client' } } : clientIdInFile(s);
  if (client !== undefined) {
    const profile = Object.hasOwn(clients, client.id) ? clients[client.id] : undefined;
    if (!profile) {
      const known = Object.keys(clients).join(', ') || 'none';
      throw invalidInput(`unknown client "${client.id}" (known: ${known})`, [
        { location: client.where, message: `names no registered client (known: ${known})` },
      ]);
    }
    return { adapter: adapterFor(profile.format), context: profile.context ?? {} };
  }
  const verdicts = ADAPTERS.map((adapter) => ({ adapter, verdict: adapter.sniff(s) }));
  const matches = verdicts.filter((v) => v.verdict.ok).sort((a, b) => score(b.verdict) - score(a.verdict));
  const what = s.input.fileName ?? 'the input';
  if (matches.length === 0) {
    throw invalidInput(
      `cannot tell the format of ${what}; name it with --format (${INPUT_FORMATS.join(', ')})`,
      verdicts.map(({ adapter, verdict }) => ({ location: { field: adapter.format }, message: verdict.ok ? '' : verdict.reason })),
    );
  }
  if (matches.length > 1 && score(matches[0].verdict) === score(matches[1].verdict)) {
    const tied = matches.filter((m) => score(m.verdict) === score(matches[0].verdict));
    throw invalidInput(
      `${what} fits several formats equally well (${tied.map((m) => m.adapter.format).join(', ')}); name one with --format`,
      verdicts.map(({ adapter, verdict }) => ({ location: { field: adapter.format }, message: verdict.ok ? 'matches' : verdict.reason })),
    );
  }
  return { adapter: matches[0].adapter, context: {} };
}

const score = (v: Verdict) => (v.ok ? v.score : -1);

export const canonicalHash = (request: RunRequest) => sha256Hex(canonicalJson(request));

/**
 * Reads a submitted file of any supported format into the validated canonical run request.
 * Bad input of any kind ends in a DomainError E001 that lists every problem with its location.
 */
export async function readRunRequest(input: RawInput, options: IntakeOptions = {}): Promise<IntakeRead> {
  checkSize(input);
  const s = sniff(input);
  const { adapter, context } = chooseAdapter(s, options);
  let request: RunRequest;
  try {
    const conversion = await adapter.convert(s, context);
    request = validateConversion(conversion, `${adapter.title}${input.fileName ? ` ${input.fileName}` : ''}`);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    // A reader that throws on odd input is a bug to fix, but the planner still gets an E001, not a crash.
    const problem: SourceProblem = {
      location: input.fileName ? { file: input.fileName } : {},
      message: (err as Error)?.message ?? String(err),
    };
    throw invalidInput(`could not read ${input.fileName ?? 'the input'} as ${adapter.title} (unexpected reader failure)`, [problem]);
  }
  return {
    request,
    format: adapter.format,
    sha256: inputSha256(input),
    sizeBytes: input.bytes.length,
    canonicalHash: canonicalHash(request),
  };
}
