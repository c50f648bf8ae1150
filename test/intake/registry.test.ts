import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES } from '../../activities/intake/source.ts';
import { fixture, lines, read, rejection } from './support.ts';

const plantDay = () => JSON.parse(readFileSync(new URL('../../examples/plant-day.json', import.meta.url), 'utf8'));

describe('the adapter factory', () => {
  it('lists every candidate and why it was rejected when it cannot tell the format', async () => {
    const junk = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const err = await rejection(junk, 'photo.png');
    expect(err.summary).toBe('cannot tell the format of photo.png; name it with --format (json, legacy-erp, csv, xlsx, xml, dto)');
    expect(lines(err)).toEqual([
      'json: not UTF-8 text: byte 0x89 at line 1, column 1 (save the file as UTF-8)',
      'legacy-erp: not UTF-8 text: byte 0x89 at line 1, column 1 (save the file as UTF-8)',
      'dto: not UTF-8 text: byte 0x89 at line 1, column 1 (save the file as UTF-8)',
      'xml: not UTF-8 text: byte 0x89 at line 1, column 1 (save the file as UTF-8)',
      'csv: not UTF-8 text: byte 0x89 at line 1, column 1 (save the file as UTF-8)',
      'xlsx: not a ZIP container (an .xlsx file is one)',
    ]);
    const json = await rejection('{"orders": []}', 'x.json');
    expect(lines(json)).toContain('legacy-erp: has no shift_window');
    expect(lines(json)).toContain('json: has no "schedule" object (top-level keys: orders)');
  });

  it('refuses a file that fits two formats equally well', async () => {
    const both = { ...plantDay(), shift_window: '11/24/2026 06:00 - 14:00', orders: [] };
    const err = await rejection(both, 'both.json');
    expect(err.summary).toBe('both.json fits several formats equally well (json, legacy-erp); name one with --format');
  });

  it('follows an explicit format or client over the fingerprint', async () => {
    const asCsv = await rejection(fixture('same-day.json'), 'same-day.json', { format: 'csv' });
    expect(lines(asCsv)[0]).toMatch(/^same-day\.json row \d+/);
    await expect(read(fixture('same-day.legacy.json'), 'erp.json', { clientId: 'client_b' })).resolves.toMatchObject({
      format: 'legacy-erp',
    });
    expect((await rejection(fixture('same-day.json'), 'x.json', { clientId: 'client_z' })).summary).toBe(
      'unknown client "client_z" (known: client_a, client_b)',
    );
    expect((await rejection(fixture('same-day.json'), 'x.json', { format: 'pdf' })).summary).toBe(
      'unknown input format "pdf" (known: json, legacy-erp, csv, xlsx, xml, dto)',
    );
  });

  it('refuses files over 50 MB and empty ones', async () => {
    const big = Buffer.alloc(MAX_INPUT_BYTES + 1, 0x20);
    expect((await rejection(big, 'big.csv')).summary).toBe('big.csv is 50.0 MB; the limit is 50.0 MB');
    expect((await rejection(Buffer.alloc(0), 'empty.csv')).summary).toBe('empty.csv is empty');
  });
});

describe('validation of the canonical request', () => {
  it('lists every problem at once: ranges, duplicates, unknown heaters, windows, control characters', async () => {
    const req = plantDay();
    req.schedule.jobs[0].heatingKwh = -1;
    req.schedule.jobs[1].id = 'J-101';
    req.schedule.jobs[2].allowedEquipment = ['HTR-001', 'HTR-009'];
    req.schedule.jobs[3].deadline = '2026-11-23T23:00';
    req.schedule.jobs[4].product = 'Powder\u0000coat';
    req.schedule.jobs[5].lock = { equipmentId: 'HTR-042', start: '2026-11-24T08:00' };
    req.equipment.push({ ...req.equipment[3], name: 'Heat pump 4 again' });
    const err = await rejection(req, 'day.json');
    expect(lines(err)).toEqual([
      'day.json schedule.jobs[4].product: holds a control character or broken Unicode (U+0000 at character 7)',
      'day.json schedule.jobs[2].allowedEquipment[1]: names no heater of this request (HTR-009; heaters: HTR-001, HTR-002, HTR-003, HTR-004)',
      'day.json schedule.jobs[5].lock.equipmentId: names no heater of this request (HTR-042; heaters: HTR-001, HTR-002, HTR-003, HTR-004)',
      'day.json schedule.jobs[0].heatingKwh: Too small: expected number to be >0',
      'day.json schedule.jobs[1].id: duplicates the id of jobs[0]',
      'day.json schedule.jobs[3].deadline: must be after earliestStart',
      'day.json equipment[4].id: duplicate heater id HTR-004',
    ]);
  });

  it('keeps the paths of canonical JSON without a file name as they were', async () => {
    const req = plantDay();
    req.schedule.jobs[0].heatingKwh = 'lots';
    expect(lines(await rejection(req))).toEqual(['schedule.jobs[0].heatingKwh: Invalid input: expected number, received string']);
  });

  it("says a request without a schedule misses it (the schedule's cross-checks used to throw a TypeError on it)", async () => {
    expect(lines(await rejection({}, undefined, { format: 'json' }))).toEqual(['schedule: is missing']);
    expect(lines(await rejection({ schedule: null }, undefined, { format: 'json' }))).toEqual([
      'schedule: Invalid input: expected object, received null',
    ]);
  });
});
