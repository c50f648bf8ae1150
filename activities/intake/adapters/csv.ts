import { CsvError, parse } from 'csv-parse/sync';
import { JOB_COLUMNS, readHeaderKeys } from '../columns.ts';
import type { Location } from '../location.ts';
import { isBlank, matchField, readTable, scheduleDateOf, type KeyValue, type Table } from '../table.ts';
import { RequestBuilder } from './builder.ts';
import type { AdapterContext, Conversion, IntakeAdapter, Sniffed } from './types.ts';

/**
 * A CSV of jobs, one per row, under a header row; `# key: value` lines before the header say
 * what the rows leave out (tenant, site, schedule_date, time_zone, settings). Headers match
 * whatever their case and spacing; `,`, `;` or tab separate; decimal commas and a BOM are fine.
 */

const DELIMITERS = [',', ';', '\t'] as const;

/** The separator the header line uses most, outside quotes. */
export function detectDelimiter(line: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

interface Split {
  preamble: { line: number; text: string }[];
  /** 1-based line of the header. */
  headerLine: number;
  header: string;
}

/** The `#` lines (and blank ones) before the header, and the header line. */
function splitPreamble(text: string): Split {
  const lines = text.split(/\r\n|\n|\r/);
  const preamble: { line: number; text: string }[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t.startsWith('#')) preamble.push({ line: i + 1, text: t.slice(1).trim() });
    else if (t !== '' && !/^[,;\t]+$/.test(t)) break;
  }
  return { preamble, headerLine: i + 1, header: lines[i] ?? '' };
}

function preambleEntries(split: Split, file: string | undefined): KeyValue[] {
  return split.preamble
    .filter((p) => p.text !== '')
    .map((p) => {
      const m = /^([^:=;,\t]+?)\s*[:=;,\t]\s*(.*?)[;,\t]*$/.exec(p.text);
      const key = m ? m[1] : p.text;
      const at: Location = { file, row: p.line };
      return { key, value: m ? m[2] : undefined, keyAt: { ...at, column: 1, field: key }, valueAt: { ...at, field: key } };
    });
}

/** Parses the table from the header on; a malformed record becomes a problem at its line. */
function parseRecords(text: string, split: Split, b: RequestBuilder, file: string | undefined): { cells: string[]; line: number }[] {
  try {
    const records = parse(text, {
      delimiter: detectDelimiter(split.header),
      from_line: split.headerLine,
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return records.map((r) => ({ cells: r.record, line: r.info.lines }));
  } catch (err) {
    const line = err instanceof CsvError ? ((err as unknown as { lines?: number }).lines ?? split.headerLine) : split.headerLine;
    b.problem(
      { file, row: line },
      `not readable as CSV: ${(err as Error).message.replace(/^Invalid Record Length: |^[A-Za-z ]+: /, '')}`,
      [],
    );
    return [];
  }
}

function jobsTable(records: { cells: string[]; line: number }[], file: string | undefined): Table {
  const [head, ...rows] = records;
  return {
    title: 'the CSV',
    headerRow: head?.line ?? 1,
    headers: head?.cells ?? [],
    rows: rows.map((r) => ({ row: r.line, cells: r.cells })),
    at: (row, column, field) => ({ file, row, column, field }),
  };
}

export const csvAdapter: IntakeAdapter = {
  format: 'csv',
  title: 'CSV of jobs',
  extensions: ['csv', 'txt', 'tsv'],
  sniff(s: Sniffed) {
    const text = s.text();
    if (!text.ok) return { ok: false, reason: text.reason };
    if (/^\s*[[{<]/.test(text.text)) return { ok: false, reason: 'looks like JSON or XML, not CSV' };
    const split = splitPreamble(text.text);
    const delimiter = detectDelimiter(split.header);
    const headers = split.header.split(delimiter).map((h) => h.replace(/^\s*"|"\s*$/g, ''));
    const fields = new Set(headers.map((h) => matchField(h, JOB_COLUMNS)?.spec.key[0]).filter(Boolean));
    if (!fields.has('id') || !fields.has('heatingKwh')) {
      return {
        ok: false,
        reason: `no header row naming job_id and heating_kwh (line ${split.headerLine}: ${JSON.stringify(split.header.slice(0, 60))})`,
      };
    }
    return { ok: true, score: 80 };
  },
  async convert(s: Sniffed, context: AdapterContext): Promise<Conversion> {
    const file = s.input.fileName;
    const b = new RequestBuilder(file ? { file } : {});
    const text = s.text();
    if (!text.ok) {
      b.problem({ file }, text.reason, []);
      return b.result();
    }
    const split = splitPreamble(text.text);
    const entries = preambleEntries(split, file);
    const dates = readHeaderKeys(b, entries, context);
    const records = parseRecords(text.text, split, b, file);
    if (records.length === 0) return b.result();
    const table = jobsTable(records, file);
    for (const r of table.rows) {
      const extra = r.cells.findIndex((c, i) => i >= table.headers.length && !isBlank(c));
      if (extra >= 0) b.problem(table.at(r.row, extra + 1), 'has a value beyond the last column of the header');
    }
    b.set(['schedule', 'jobs'], [], table.at(table.headerRow));
    readTable(b, table, JOB_COLUMNS, ['schedule', 'jobs'], { ...dates, scheduleDate: scheduleDateOf(b) });
    return b.result();
  },
};
