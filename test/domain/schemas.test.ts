import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSubmission } from '../../activities/intake/parse.ts';
import { DomainError } from '../../domain/errors.ts';
import { EquipmentSchema } from '../../domain/equipment.ts';
import { TariffSchema } from '../../domain/tariff.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));

function problemsOf(request: unknown): { path: string; message: string }[] {
  try {
    parseSubmission(JSON.stringify(request), 'json');
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('E001');
    return (err as DomainError).problems;
  }
  throw new Error('expected the request to be rejected');
}

describe('run request validation', () => {
  it('accepts the example plant day and normalises local times to UTC', () => {
    const out = parseSubmission(JSON.stringify(example), 'json');
    expect(out.schedule.jobs).toHaveLength(14);
    // 06:00 in Chicago on 24 Nov 2026 (CST, UTC-6) is 12:00 UTC.
    expect(out.schedule.jobs[0].earliestStart).toBe('2026-11-24T12:00:00.000Z');
    expect(out.settings.slotMinutes).toBe(15);
    expect(out.supplied.equipment?.find((e) => e.id === 'HTR-001')?.fuelType).toBe('natural_gas');
  });

  it('lists every problem with its field path, not just the first', () => {
    const bad = structuredClone(example);
    bad.schedule.jobs[2].heatingKwh = -5;
    bad.schedule.jobs[4].deadline = bad.schedule.jobs[4].earliestStart;
    bad.schedule.jobs[5].priority = 9;
    bad.schedule.timeZone = 'Mars/Olympus';
    bad.equipment[1].efficiency = 2.5;
    bad.settings.slotMinutes = 7;
    bad.schedule.jobs[6].earliestStart = 'tomorrow morning';
    const paths = problemsOf(bad).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'schedule.jobs[2].heatingKwh',
        'schedule.jobs[5].priority',
        'schedule.timeZone',
        'equipment[1].efficiency',
        'settings.slotMinutes',
        'schedule.jobs[6].earliestStart',
      ]),
    );
  });

  it('names a deadline before the earliest start', () => {
    const bad = structuredClone(example);
    bad.schedule.jobs[4].deadline = '2026-11-24T04:00';
    expect(problemsOf(bad)).toContainEqual({ path: 'schedule.jobs[4].deadline', message: 'must be after earliestStart' });
  });

  it('reports a window problem together with a wrong type elsewhere, and survives a malformed job', () => {
    const bad = structuredClone(example);
    bad.schedule.jobs[0].heatingKwh = 'lots';
    bad.schedule.jobs[4].deadline = '2026-11-24T04:00';
    bad.schedule.jobs[6] = 42;
    expect(problemsOf(bad).map((p) => p.path)).toEqual(['schedule.jobs[0].heatingKwh', 'schedule.jobs[6]', 'schedule.jobs[4].deadline']);
  });

  it('rejects duplicate job ids and unknown fields', () => {
    const bad = structuredClone(example);
    bad.schedule.jobs[3].id = bad.schedule.jobs[0].id;
    bad.schedule.jobs[1].colour = 'red';
    const problems = problemsOf(bad);
    expect(problems).toContainEqual({ path: 'schedule.jobs[3].id', message: 'duplicates the id of jobs[0]' });
    expect(problems.some((p) => p.path === 'schedule.jobs[1]' && p.message.includes('colour'))).toBe(true);
  });

  it('says so when the body is not JSON', () => {
    expect(() => parseSubmission('{"schedule": ', 'json')).toThrow(/not valid JSON/);
  });

  it('refuses a gas fuel on a heat pump', () => {
    const r = EquipmentSchema.safeParse({ id: 'X', name: 'x', type: 'heat_pump', capacityKw: 10, efficiency: 3, fuelType: 'natural_gas' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['fuelType']);
  });
});

describe('tariff validation', () => {
  const base = { name: 'T', timeZone: 'Europe/Berlin', effectiveDate: '2026-01-01' };

  it('requires the periods of a day type to tile the whole day', () => {
    const r = TariffSchema.safeParse({
      ...base,
      periods: [
        { start: '00:00', end: '06:00', energyRate: 0.1, category: 'off-peak' },
        { start: '07:00', end: '00:00', energyRate: 0.2, category: 'on-peak' },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe('weekday periods leave 06:00-07:00 uncovered');
  });

  it('detects overlapping periods', () => {
    const r = TariffSchema.safeParse({
      ...base,
      periods: [
        { start: '00:00', end: '12:00', energyRate: 0.1, category: 'off-peak' },
        { start: '11:00', end: '24:00', energyRate: 0.2, category: 'on-peak' },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe('weekday periods overlap at 11:00-12:00');
  });

  it('accepts a period that wraps past midnight', () => {
    const r = TariffSchema.safeParse({
      ...base,
      periods: [
        { start: '22:00', end: '06:00', energyRate: 0.1, category: 'off-peak' },
        { start: '06:00', end: '22:00', energyRate: 0.2, category: 'on-peak' },
      ],
    });
    expect(r.success).toBe(true);
  });
});
