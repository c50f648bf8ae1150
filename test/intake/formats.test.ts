import { describe, expect, it } from 'vitest';
import { renderRequest } from '../../activities/intake/convert.ts';
import { canonicalHash } from '../../activities/intake/registry.ts';
import { example, fixture, read } from './support.ts';

/** The same plant day (7 jobs, 5 orders, a shift across midnight) written in every format intake reads. */
const SAME_DAY = [
  ['same-day.json', 'json'],
  ['same-day.legacy.json', 'legacy-erp'],
  ['same-day.csv', 'csv'],
  ['same-day.eu.csv', 'csv'],
  ['same-day.xlsx', 'xlsx'],
  ['same-day.xml', 'xml'],
  ['same-day.dto.json', 'dto'],
] as const;

describe('the same day in every format', () => {
  it('is recognised by its fingerprint and gives one canonical hash', async () => {
    const reads = await Promise.all(SAME_DAY.map(([name]) => read(fixture(name), name)));
    expect(reads.map((r) => r.format)).toEqual(SAME_DAY.map(([, format]) => format));
    const hashes = new Set(reads.map((r) => r.canonicalHash));
    expect(hashes.size).toBe(1);
    // …while the files themselves differ, and each read keeps its own file's hash.
    expect(new Set(reads.map((r) => r.sha256)).size).toBe(SAME_DAY.length);
    expect(reads[0].canonicalHash).toBe(canonicalHash(reads[0].request));
  });

  it('holds the instants in UTC, exactly as the legacy hours say them', async () => {
    const { request } = await read(fixture('same-day.legacy.json'), 'same-day.legacy.json');
    const byId = Object.fromEntries(request.schedule.jobs.map((j) => [j.id, j]));
    // Chicago is UTC-6 in November. 8.3 h is 08:18; 25.75 h is 01:45 the next day; 27 h falls after the shift (02:00) and is cut to it.
    expect(byId['C-200'].deadline).toBe('2026-11-24T14:18:00.000Z');
    expect(byId['W-300'].deadline).toBe('2026-11-25T07:45:00.000Z');
    expect(byId['T-400-2'].deadline).toBe('2026-11-25T08:00:00.000Z');
    expect(byId['T-400-1'].earliestStart).toBe('2026-11-24T20:00:00.000Z');
    expect(byId['A-100-20'].predecessors).toEqual([{ jobId: 'A-100-10', type: 'finish_to_start', lagMinutes: 15 }]);
    expect(request.schedule).toMatchObject({ scheduleDate: '2026-11-24', horizonDays: 2, timeZone: 'America/Chicago' });
  });

  it('converts the example plant day (tariff, heaters, windows, settings) from XLSX as from JSON', async () => {
    const [json, xlsx] = await Promise.all([
      read(example('plant-day.json'), 'plant-day.json'),
      read(example('plant-day.xlsx'), 'plant-day.xlsx'),
    ]);
    expect(xlsx.format).toBe('xlsx');
    expect(xlsx.request).toEqual(json.request);
    expect(xlsx.canonicalHash).toBe(json.canonicalHash);
    expect(xlsx.request.equipment?.find((e) => e.id === 'HTR-003')?.unavailability).toEqual([
      { start: '2026-11-24T12:00:00.000Z', end: '2026-11-24T20:00:00.000Z', reason: 'maintenance', notes: 'Burner inspection' },
    ]);
  });

  it('reads back what convert writes, as canonical JSON and as the scheduler DTO', async () => {
    const original = await read(example('plant-day.json'), 'plant-day.json');
    for (const to of ['json', 'dto'] as const) {
      const text = renderRequest(original, to, new Date('2026-11-23T12:00:00Z'));
      const back = await read(text, `plant-day.${to}.json`);
      expect(back.format).toBe(to);
      expect(back.canonicalHash).toBe(original.canonicalHash);
    }
  });

  it('reads every example in examples/: the plant day as JSON, XLSX, XML, DTO and CSV has the same jobs', async () => {
    const names = [
      'plant-day.json',
      'plant-day.xlsx',
      'plant-day.xml',
      'plant-day.dto.json',
      'plant-day.csv',
      'template.xlsx',
      'legacy-erp.json',
    ];
    const reads = await Promise.all(names.map((name) => read(example(name), name)));
    expect(reads.map((r) => r.format)).toEqual(['json', 'xlsx', 'xml', 'dto', 'csv', 'xlsx', 'legacy-erp']);
    const [json, xlsx, xml, dto, csv] = reads.map((r) => r.request);
    for (const other of [xlsx, xml, dto, csv]) expect(other.schedule.jobs).toEqual(json.schedule.jobs);
    for (const other of [xlsx, xml, dto])
      expect([other.equipment, other.tariff, other.settings]).toEqual([json.equipment, json.tariff, json.settings]);
    expect([csv.equipment, csv.tariff]).toEqual([undefined, undefined]); // a CSV holds jobs: heaters and tariff come from the registry
  });
});
