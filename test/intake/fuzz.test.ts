import ExcelJS from 'exceljs';
import prand from 'pure-rand';
import { describe, expect, it } from 'vitest';
import { DomainError, type FieldProblem } from '../../domain/errors.ts';
import { readRunRequest } from '../../activities/intake/registry.ts';
import { fixture } from './support.ts';

/**
 * Feeds thousands of mutated files of every format to intake: each must be read or refused with
 * an E001 whose every problem says where; nothing may throw anything else. Seeded, so a failure
 * comes back the same way; the count and the slowest file are printed, not asserted.
 */

const PER_FORMAT = 2000;

type Rng = { int(lo: number, hi: number): number; pick<T>(list: readonly T[]): T };

function rngFor(seed: number): Rng {
  const g = prand.xoroshiro128plus(seed);
  const int = (lo: number, hi: number) => prand.unsafeUniformIntDistribution(lo, hi, g);
  return { int, pick: (list) => list[int(0, list.length - 1)] };
}

const JUNK_BYTES = [[0x00], [0xff], [0xc3], [0xed, 0xa0, 0x80], [0xef, 0xbb, 0xbf], [0x22], [0x3c], [0x2c], [0x3b], [0x0a], [0x7b], [0x5d]];
const JUNK_TEXT = [
  'NaN',
  '1e400',
  '-1',
  '0',
  '99999999999999999999',
  '"',
  ';',
  ',',
  '\n',
  '<',
  '</a>',
  '{',
  ']',
  'null',
  'true',
  '\u0000',
  '\ud800',
  '24:00',
  '2026-02-30T06:00',
  '8,3',
  '',
  '#',
];

/** Byte-level damage: flips, cuts, repeats, inserts. */
function mutateBytes(seed: Uint8Array, r: Rng): Uint8Array {
  const b = Buffer.from(seed);
  const at = () => r.int(0, Math.max(0, b.length - 1));
  switch (r.int(0, 6)) {
    case 0: {
      const out = Buffer.from(b);
      for (let k = r.int(1, 8); k > 0; k--) out[at()] ^= 1 << r.int(0, 7);
      return out;
    }
    case 1:
      return b.subarray(0, at());
    case 2: {
      const [from, len] = [at(), r.int(1, 200)];
      return Buffer.concat([b.subarray(0, from), b.subarray(from + len)]);
    }
    case 3: {
      const [from, len, to] = [at(), r.int(1, 400), at()];
      return Buffer.concat([b.subarray(0, to), b.subarray(from, from + len), b.subarray(to)]);
    }
    case 4: {
      const to = at();
      return Buffer.concat([b.subarray(0, to), Buffer.from(r.pick(JUNK_BYTES)), b.subarray(to)]);
    }
    case 5: {
      const out = Buffer.from(b);
      const from = at();
      for (let i = from; i < Math.min(out.length, from + r.int(1, 64)); i++) out[i] = r.int(0, 255);
      return out;
    }
    default:
      return Buffer.from(Array.from({ length: r.int(0, 300) }, () => r.int(0, 255)));
  }
}

/** Text-level damage: tokens replaced, lines repeated or dropped. */
function mutateText(seed: string, r: Rng): string {
  const lines = seed.split('\n');
  const i = r.int(0, lines.length - 1);
  switch (r.int(0, 3)) {
    case 0: {
      const tokens = lines[i].split(/(\b|[,;"<>:])/);
      tokens[r.int(0, tokens.length - 1)] = r.pick(JUNK_TEXT);
      lines[i] = tokens.join('');
      return lines.join('\n');
    }
    case 1:
      lines.splice(r.int(0, lines.length), 0, lines[i]);
      return lines.join('\n');
    case 2:
      lines.splice(i, 1);
      return lines.join('\n');
    default:
      return lines.map((l) => (r.int(0, 9) === 0 ? l.replace(/\d/, r.pick(JUNK_TEXT)) : l)).join('\n');
  }
}

const JUNK_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  '',
  'x',
  '\u0000',
  [],
  {},
  [[[[]]]],
  true,
  '2026-13-01T00:00',
  'Europe/Atlantis',
  { a: { b: { c: 1 } } },
];

/** Structural damage of a JSON document: a node deleted, replaced or duplicated. */
function mutateJson(seed: unknown, r: Rng): string {
  const doc = structuredClone(seed) as Record<string, unknown>;
  const nodes: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      nodes.push([v as Record<string, unknown>, Array.isArray(v) ? Number(k) : k]);
      walk(x);
    }
  };
  walk(doc);
  for (let n = r.int(1, 3); n > 0 && nodes.length; n--) {
    const [parent, key] = r.pick(nodes);
    const op = r.int(0, 2);
    if (op === 0 && !Array.isArray(parent)) delete parent[key as string];
    else if (op === 1) (parent as Record<string | number, unknown>)[key] = structuredClone(r.pick(JUNK_VALUES));
    else
      (parent as Record<string | number, unknown>)[key] = structuredClone(
        (parent as Record<string | number, unknown>)[r.pick(Object.keys(parent))],
      );
  }
  return JSON.stringify(doc);
}

/** Cell-level damage of a workbook, written back as a real XLSX. */
async function mutateWorkbook(seed: Uint8Array, r: Rng): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(seed) as unknown as ExcelJS.Buffer);
  for (let n = r.int(1, 4); n > 0; n--) {
    const ws = r.pick(wb.worksheets);
    const cell = ws.getCell(r.int(1, Math.max(1, ws.rowCount + 1)), r.int(1, Math.max(1, ws.columnCount + 1)));
    cell.value = r.pick<ExcelJS.CellValue>([
      null,
      0,
      -5,
      'junk',
      new Date(Date.UTC(1899, 11, 30, 25)),
      { formula: 'NA()', result: { error: '#N/A' } },
      '06:00',
      'a;b',
      '1,5 MWh',
      true,
    ]);
  }
  if (r.int(0, 4) === 0) wb.removeWorksheet(r.pick(wb.worksheets).id);
  if (r.int(0, 4) === 0) wb.addWorksheet(`Sheet${r.int(1, 99)}`).addRow(['x', 'y']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A problem says where: a file with a place in it, a field or element path, or a format it was tried as. */
const namesWhere = (p: FieldProblem) => p.path.trim() !== '' && p.path !== '(file)';

interface Tally {
  accepted: number;
  rejected: number;
  crashes: string[];
  nowhere: string[];
  slowestMs: number;
}

async function feed(name: string, bytes: Uint8Array, tally: Tally): Promise<void> {
  const started = performance.now();
  try {
    await readRunRequest({ bytes, fileName: name });
    tally.accepted++;
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'E001' || /unexpected reader failure/.test(err.summary)) {
      tally.crashes.push(`${name}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 300));
    } else if (err.problems.length === 0 ? !/ is (empty|\d)/.test(err.summary) : !err.problems.every(namesWhere)) {
      tally.nowhere.push(`${name}: ${err.message}`.slice(0, 300));
    } else tally.rejected++;
  }
  tally.slowestMs = Math.max(tally.slowestMs, performance.now() - started);
}

const CASES = [
  { file: 'same-day.json', kind: 'json' },
  { file: 'same-day.legacy.json', kind: 'json' },
  { file: 'same-day.dto.json', kind: 'json' },
  { file: 'same-day.csv', kind: 'text' },
  { file: 'same-day.eu.csv', kind: 'text' },
  { file: 'same-day.xml', kind: 'text' },
  { file: 'same-day.xlsx', kind: 'xlsx' },
] as const;

describe('intake under thousands of mutated files', () => {
  for (const [index, { file, kind }] of CASES.entries()) {
    it(`reads or refuses ${PER_FORMAT} mutations of ${file} with E001 naming where, and never crashes`, async () => {
      const seed = fixture(file);
      const r = rngFor(1000 + index);
      const tally: Tally = { accepted: 0, rejected: 0, crashes: [], nowhere: [], slowestMs: 0 };
      const json: unknown = kind === 'json' ? JSON.parse(seed.toString('utf8')) : undefined;
      for (let n = 0; n < PER_FORMAT; n++) {
        const how = r.int(0, 2);
        let bytes: Uint8Array;
        if (how === 0) bytes = mutateBytes(seed, r);
        else if (kind === 'json') bytes = Buffer.from(how === 1 ? mutateJson(json, r) : mutateText(seed.toString('utf8'), r));
        else if (kind === 'text') bytes = Buffer.from(mutateText(seed.toString('utf8'), r));
        else bytes = how === 1 && n % 8 === 0 ? await mutateWorkbook(seed, r) : mutateBytes(seed, r);
        await feed(`fuzz-${n}.${file.split('.').pop()}`, bytes, tally);
      }
      console.log(`${file}: ${tally.accepted} read, ${tally.rejected} refused, slowest ${tally.slowestMs.toFixed(0)} ms`);
      expect(tally.crashes).toEqual([]);
      expect(tally.nowhere).toEqual([]);
      expect(tally.accepted + tally.rejected).toBe(PER_FORMAT);
      expect(tally.rejected).toBeGreaterThan(PER_FORMAT / 10);
    });
  }
});
