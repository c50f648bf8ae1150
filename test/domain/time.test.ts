import { describe, expect, it } from 'vitest';
import { buildSlotGrid, boundaryAtOrAfter, boundaryAtOrBefore, slotsOverlapping } from '../../domain/slot-grid.ts';
import { classifySlots, fixedChargesFor, TariffSchema } from '../../domain/tariff.ts';

const tariff = TariffSchema.parse({
  name: 'TOU',
  timeZone: 'America/Chicago',
  effectiveDate: '2026-01-01',
  periods: [
    { start: '00:00', end: '06:00', energyRate: 0.045, demandRate: 8, category: 'off-peak' },
    { start: '06:00', end: '14:00', energyRate: 0.085, demandRate: 12, category: 'mid-peak' },
    { start: '14:00', end: '18:00', energyRate: 0.145, demandRate: 22, category: 'critical' },
    { start: '18:00', end: '24:00', energyRate: 0.085, demandRate: 12, category: 'mid-peak' },
    { dayType: 'weekend', start: '00:00', end: '00:00', energyRate: 0.04, category: 'off-peak' },
  ],
  fixedCharges: [
    { name: 'meter', amount: 2, per: 'day' },
    { name: 'customer', amount: 310, per: 'month' },
  ],
  holidays: ['2026-12-25'],
});

describe('slot grid and tariff classification', () => {
  it('has 96 quarter-hours on an ordinary day', () => {
    const grid = buildSlotGrid('2026-11-24', 'America/Chicago', 1, 15);
    expect(grid.slotCount).toBe(96);
    expect(grid.startUtc).toBe('2026-11-24T06:00:00.000Z');
  });

  it('has 92 quarter-hours on the spring-forward day and rates follow local time', () => {
    // 2026-03-08: clocks jump from 02:00 CST to 03:00 CDT.
    const grid = buildSlotGrid('2026-03-08', 'America/Chicago', 1, 15);
    expect(grid.slotCount).toBe(92);
    const slots = classifySlots(tariff, grid);
    // Sunday: the weekend period applies all day.
    expect(new Set(slots.map((s) => s.category))).toEqual(new Set(['off-peak']));
    // Slot 8 is 02:00 UTC-6 + ... = the first slot after the jump: 03:00 local.
    expect(slots[8].localStart).toBe('2026-03-08T03:00');
  });

  it('classifies by local time across the jump on a weekday horizon', () => {
    // Two days from Sunday 2026-03-08: Monday starts at slot 92 (local midnight, now CDT).
    const grid = buildSlotGrid('2026-03-08', 'America/Chicago', 2, 15);
    expect(grid.slotCount).toBe(92 + 96);
    const slots = classifySlots(tariff, grid);
    expect(slots[92]).toMatchObject({ localStart: '2026-03-09T00:00', dayType: 'weekday', category: 'off-peak', energyRate: 0.045 });
    // 14:00 local CDT Monday = slot 92 + 56.
    expect(slots[92 + 56]).toMatchObject({ localStart: '2026-03-09T14:00', category: 'critical', demandRate: 22 });
    expect(slots[92 + 55].category).toBe('mid-peak');
    expect(slots[92 + 56].startUtc).toBe('2026-03-09T19:00:00.000Z');
  });

  it('has 100 quarter-hours on the fall-back day, the repeated hour priced twice as off-peak', () => {
    const grid = buildSlotGrid('2026-11-02', 'America/Chicago', 1, 15); // a Monday; the change is on Sunday 2026-11-01
    expect(grid.slotCount).toBe(96);
    const fallBack = buildSlotGrid('2026-11-01', 'America/Chicago', 1, 15);
    expect(fallBack.slotCount).toBe(100);
    const slots = classifySlots(tariff, fallBack);
    expect(slots[4].localStart).toBe('2026-11-01T01:00');
    expect(slots[8].localStart).toBe('2026-11-01T01:00');
  });

  it('treats a listed holiday as a holiday (falling back to weekend periods)', () => {
    const grid = buildSlotGrid('2026-12-25', 'America/Chicago', 1, 60);
    const slots = classifySlots(tariff, grid);
    expect(slots[15]).toMatchObject({ dayType: 'holiday', category: 'off-peak', energyRate: 0.04 });
  });

  it('prorates monthly fixed charges by the days of the month', () => {
    const grid = buildSlotGrid('2026-11-30', 'America/Chicago', 2, 60); // 30 Nov + 1 Dec
    expect(fixedChargesFor(tariff, grid)).toEqual([
      { name: 'meter', amount: 4 },
      { name: 'customer', amount: 310 / 30 + 310 / 31 },
    ]);
  });

  it('rounds job windows inwards to slot boundaries and marks maintenance slots', () => {
    const grid = buildSlotGrid('2026-11-24', 'America/Chicago', 1, 15);
    expect(boundaryAtOrAfter(grid, '2026-11-24T06:07:00Z')).toBe(1);
    expect(boundaryAtOrBefore(grid, '2026-11-24T06:29:00Z')).toBe(1);
    const blocked = slotsOverlapping(grid, [{ start: '2026-11-24T06:20:00Z', end: '2026-11-24T06:31:00Z' }]);
    expect(blocked.slice(0, 4)).toEqual([false, true, true, false]);
  });
});
